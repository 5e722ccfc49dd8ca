using Postino.Storage.Maildir;

namespace Postino.Storage.Tests.Maildir;

/// <summary>What a crashed delivery leaves in tmp/ goes after 36 hours, looked for at most once an hour per folder.</summary>
public sealed class TemporaryFileSweepTests : IDisposable
{
    private readonly MaildirFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task A_login_removes_what_a_crashed_delivery_left_in_tmp_36_hours_ago_and_keeps_a_delivery_in_progress()
    {
        var stale = _fixture.WriteForeign("tmp", "1700000000.M1P1.crashed", "half a message");
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddHours(-37));
        var current = _fixture.WriteForeign("tmp", "1700000001.M2P2.writing", "being written");

        await _fixture.SnapshotAsync();

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(current));
    }

    [Fact]
    public async Task Tmp_is_looked_at_again_only_an_hour_after_the_last_look()
    {
        await _fixture.SnapshotAsync();
        var stale = _fixture.WriteForeign("tmp", "1700000000.M1P1.crashed", "half a message");
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddHours(-37));

        await _fixture.SnapshotAsync();
        Assert.True(File.Exists(stale));

        _fixture.Time.Advance(TemporaryFileSweep.Interval);
        await _fixture.SnapshotAsync();
        Assert.False(File.Exists(stale));
    }

    [Fact]
    public void The_memory_of_looks_is_bounded_and_starts_again_when_full()
    {
        var sweep = new TemporaryFileSweep(_fixture.Time);
        for (var n = 0; n < TemporaryFileSweep.MaxFolders; n++)
        {
            Assert.True(sweep.IsDue($"/m/{n}"));
        }

        Assert.False(sweep.IsDue("/m/0"));
        Assert.True(sweep.IsDue("/m/new"));
        Assert.True(sweep.IsDue("/m/0"));
    }
}
