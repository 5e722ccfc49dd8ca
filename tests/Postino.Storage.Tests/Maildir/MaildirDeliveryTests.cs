using System.Text;

namespace Postino.Storage.Tests.Maildir;

public sealed class MaildirDeliveryTests : IDisposable
{
    private readonly MaildirFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Delivery_creates_the_maildir_and_stores_the_bytes_as_given()
    {
        const string text = "Subject: hello\r\n\r\nline\n.dot\r\nlast";
        var delivery = await _fixture.DeliverAsync(text);

        var file = Assert.Single(Directory.GetFiles(_fixture.New));
        Assert.Equal(text, await File.ReadAllTextAsync(file));
        Assert.EndsWith($",S={Encoding.UTF8.GetByteCount(text)},W={delivery.Size}", file, StringComparison.Ordinal);
        Assert.Equal(delivery.StorageId, Path.GetFileName(file));
        Assert.Empty(Directory.GetFiles(_fixture.Tmp));

        await using var maildrop = await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None);
        Assert.Equal(text, await MaildirFixture.ReadAllAsync(maildrop, 0));
        Assert.Equal(delivery.Uidl, maildrop.Messages[0].Uidl);
    }

    [Fact]
    public async Task A_stream_failing_midway_leaves_nothing_in_new_or_tmp()
    {
        await using var failing = new FailingStream(Encoding.UTF8.GetBytes("Subject: partial\n\n" + new string('x', 200_000)), failAfter: 100_000);

        await Assert.ThrowsAsync<EndOfStreamException>(() => _fixture.Store.DeliverAsync(MaildirFixture.User, failing, CancellationToken.None).AsTask());

        Assert.Empty(Directory.GetFiles(_fixture.New));
        Assert.Empty(Directory.GetFiles(_fixture.Tmp));
        Assert.Empty(await _fixture.SnapshotAsync());
    }

    [Fact]
    public async Task A_cancelled_delivery_leaves_nothing()
    {
        using var cancellation = new CancellationTokenSource();
        await using var stream = new FailingStream(new byte[300_000], failAfter: long.MaxValue, onRead: cancellation.Cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _fixture.Store.DeliverAsync(MaildirFixture.User, stream, cancellation.Token).AsTask());

        Assert.Empty(Directory.GetFiles(_fixture.New));
        Assert.Empty(Directory.GetFiles(_fixture.Tmp));
    }

    [Fact]
    public async Task Deliveries_during_a_session_show_at_the_next_open_and_survive_its_commit()
    {
        var old = await _fixture.DeliverAsync("Subject: old\n\nbody\n");
        DeliveryResult late;
        await using (var maildrop = await _fixture.Store.OpenAsync(MaildirFixture.User, null, CancellationToken.None))
        {
            late = await _fixture.DeliverAsync("Subject: late\n\nbody\n");
            Assert.Single(maildrop.Messages);
            maildrop.MarkDeleted(0);
            await maildrop.CommitAsync(CancellationToken.None);
        }

        var after = Assert.Single(await _fixture.SnapshotAsync());
        Assert.Equal(late.Uidl, after.Uidl);
        Assert.Equal(late.Size, after.Size);
        Assert.NotEqual(old.Uidl, after.Uidl);
    }

    [Fact]
    public async Task Concurrent_deliveries_get_distinct_names_and_uidls()
    {
        var deliveries = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => _fixture.DeliverAsync($"Subject: {i}\n\nbody\n")));

        var messages = await _fixture.SnapshotAsync();
        Assert.Equal(20, messages.Count);
        Assert.Equal(deliveries.Select(d => d.Uidl).Order(StringComparer.Ordinal), messages.Select(m => m.Uidl).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Over_quota_deliveries_are_refused_and_leave_nothing()
    {
        _fixture.Restart(quotas: new FixedQuota(new MailboxQuota(MaxBytes: 100, MaxMessages: 2)));
        await _fixture.DeliverAsync("Subject: a\n\nsmall\n");

        var bytes = await Assert.ThrowsAsync<QuotaExceededException>(() => _fixture.DeliverAsync("Subject: b\n\n" + new string('x', 200)));
        await _fixture.DeliverAsync("Subject: c\n\nsmall\n");
        var messages = await Assert.ThrowsAsync<QuotaExceededException>(() => _fixture.DeliverAsync("Subject: d\n\nsmall\n"));

        Assert.Equal("bytes", bytes.Limit);
        Assert.Equal("messages", messages.Limit);
        Assert.True(messages.IsTemporary);
        Assert.Equal(2, Directory.GetFiles(_fixture.New).Length);
        Assert.Empty(Directory.GetFiles(_fixture.Tmp));
    }

    private sealed class FixedQuota(MailboxQuota quota) : IMailboxQuotaSource
    {
        public ValueTask<MailboxQuota> GetQuotaAsync(string user, CancellationToken cancellationToken) => ValueTask.FromResult(quota);
    }

    /// <summary>Yields its bytes in small reads, then fails like a connection dropped mid-DATA.</summary>
    private sealed class FailingStream(byte[] content, long failAfter, Action? onRead = null) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position >= failAfter)
            {
                throw new EndOfStreamException("connection lost");
            }

            var n = (int)Math.Min(Math.Min(buffer.Length, 4096), content.Length - _position);
            content.AsSpan((int)_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            onRead?.Invoke();
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult(Read(buffer.Span));
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
