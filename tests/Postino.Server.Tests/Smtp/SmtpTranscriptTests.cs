using Postino.Server.Smtp;
using Postino.Server.Tests.Delivery;

namespace Postino.Server.Tests.Smtp;

public sealed class SmtpTranscriptTests
{
    public static IEnumerable<object[]> Cases => TranscriptRunner.Cases("smtp");

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Transcript_plays_at_every_chunk_size(string name, int chunkSize) =>
        TranscriptRunner.RunAsync(MailTransferDialect.Smtp, "smtp", name, chunkSize);
}
