using Postino.Server.Smtp;

namespace Postino.Server.Tests.Delivery;

/// <summary>
/// Plays a transcript against a session: all client bytes pipelined, written in chunks of a given size, then the
/// exact server bytes and the number of deliveries compared.
/// </summary>
internal static class TranscriptRunner
{
    public static async Task RunAsync(MailTransferDialect dialect, string folder, string name, int chunkSize)
    {
        var transcript = Transcript.Load(folder, name);
        await using var harness = new SessionHarness(dialect);
        transcript.Apply(harness.Options);
        harness.Start();
        var serverText = harness.ReadToEndAsync();

        var bytes = transcript.ClientBytes;
        for (var offset = 0; offset < bytes.Length; offset += chunkSize)
        {
            var result = await harness.Client.WriteAsync(bytes.AsMemory(offset, Math.Min(chunkSize, bytes.Length - offset)));
            if (result.IsCompleted)
            {
                break;
            }
        }

        await harness.Client.CompleteAsync();

        Assert.Equal(transcript.ExpectedServer, await serverText);
        await harness.Session;
        if (transcript.ExpectedDeliveries is { } expected)
        {
            Assert.Equal(expected, harness.Store.Deliveries.Count);
        }

        Assert.Empty(Directory.GetFiles(harness.SpoolDirectory));
    }
}
