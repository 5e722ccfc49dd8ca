using System.Text;
using Postino.Protocols.Text;

namespace Postino.Storage.Tests.Maildir;

public sealed class MaildirSizeTests : IDisposable
{
    private readonly MaildirFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Theory]
    [InlineData("Subject: lf\n\nline one\nline two\n", 35)]
    [InlineData("Subject: crlf\r\n\r\nline one\r\nline two\r\n", 37)]
    [InlineData("Subject: no final newline\n\nlast line", 40)]
    [InlineData("Subject: mixed\r\n\nbare\rcr\n", 27)]
    [InlineData("", 0)]
    public async Task Delivered_sizes_are_wire_sizes(string text, long expected)
    {
        var delivery = await _fixture.DeliverAsync(text);
        var messages = await _fixture.SnapshotAsync();

        Assert.Equal(expected, await MeasureAsync(text));
        Assert.Equal(expected, delivery.Size);
        Assert.Equal(expected, Assert.Single(messages).Size);
    }

    [Theory]
    [InlineData("Subject: lf\n\nline one\nline two\n")]
    [InlineData("Subject: crlf\r\n\r\nline one\r\n")]
    [InlineData("Subject: no final newline\n\nlast line")]
    public async Task Foreign_files_without_sizes_in_the_name_are_measured_once(string text)
    {
        _fixture.WriteForeign("new", "1700000000.V801I2a3M123456.mx.example", text);
        _fixture.WriteForeign("cur", "1700000001.M1P2.host,S=" + Encoding.UTF8.GetByteCount(text) + ":2,S", text);

        var expected = await MeasureAsync(text);
        var first = await _fixture.SnapshotAsync();
        var opensAfterFirst = _fixture.Store.MessageFileOpens;
        _fixture.Restart();
        var second = await _fixture.SnapshotAsync();

        Assert.All(first, m => Assert.Equal(expected, m.Size));
        Assert.Equal(2, opensAfterFirst);
        Assert.Equal(0, _fixture.Store.MessageFileOpens);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task A_wire_size_in_the_name_is_trusted_without_opening_the_file()
    {
        _fixture.WriteForeign("cur", "1700000000.M1P2.dovecot,S=5,W=6:2,", "x\ny\n");

        var message = Assert.Single(await _fixture.SnapshotAsync());

        Assert.Equal(6, message.Size);
        Assert.Equal(0, _fixture.Store.MessageFileOpens);
    }

    private static async Task<long> MeasureAsync(string text)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        return await MessageEncoder.MeasureAsync(stream, CancellationToken.None);
    }
}
