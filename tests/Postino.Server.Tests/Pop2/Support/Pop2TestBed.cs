using System.IO.Pipelines;
using System.Net;
using Postino.Server.Pop2;
using Postino.Server.Tests.Pop2.Fakes;
using Postino.Storage;

namespace Postino.Server.Tests.Pop2.Support;

/// <summary>A store, an authenticator and options for POP2 sessions run in memory, without sockets.</summary>
public sealed class Pop2TestBed
{
    public const string HostName = "test.example";

    public MemoryMailStore Store { get; } = new();

    /// <summary>When set, sessions use this store instead of <see cref="Store"/> (transcripts on the Maildir store).</summary>
    public IMailStore? MailStore { get; set; }

    public FakePasswordAuthenticator Authenticator { get; } = new();

    public Pop2Options Options { get; } = new() { HostName = HostName };

    public ListLogger Logger { get; } = new();

    public TimeProvider Time { get; set; } = TimeProvider.System;

    public EndPoint Remote { get; set; } = new IPEndPoint(IPAddress.Loopback, 40000);

    public Pop2Services Services => new(MailStore ?? Store, Authenticator, Options, Time, Logger);

    /// <summary>Runs one session on <paramref name="input"/> delivered <paramref name="chunkSize"/> octets at a time.</summary>
    public async Task<(byte[] Output, Pop2SessionEnd End)> RunAsync(byte[] input, int chunkSize)
    {
        var output = new Pipe();
        var session = new Pop2Session(new DuplexPipe(new ChunkedPipeReader(input, chunkSize), output.Writer), Remote, Services);
        var collected = CollectAsync(output.Reader);
        var end = await session.RunAsync(CancellationToken.None);
        await output.Writer.CompleteAsync();
        return (await collected, end);
    }

    public static async Task<byte[]> CollectAsync(PipeReader reader)
    {
        using var all = new MemoryStream();
        while (true)
        {
            var read = await reader.ReadAsync();
            foreach (var segment in read.Buffer)
            {
                all.Write(segment.Span);
            }

            reader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                await reader.CompleteAsync();
                return all.ToArray();
            }
        }
    }
}
