using Postino.Server.Smtp;
using Postino.Server.Tests.Delivery;

namespace Postino.Server.Tests.Lmtp;

public sealed class LmtpTranscriptTests
{
    public static IEnumerable<object[]> Cases => TranscriptRunner.Cases("lmtp");

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Transcript_plays_at_every_chunk_size(string name, int chunkSize) =>
        TranscriptRunner.RunAsync(MailTransferDialect.Lmtp, "lmtp", name, chunkSize);
}
