using System.Text;
using Microsoft.Extensions.Time.Testing;
using Postino.Server.Retention;
using Postino.Storage.Maildir;
using Postino.Storage.Retention;

namespace Postino.Server.Tests.Retention;

public sealed class RetentionSweeperServiceTests : IDisposable
{
    private readonly TempDirectory _data = new("postino-sweeper-");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Sweeps_every_interval_on_the_injected_clock()
    {
        var store = new MaildirStore(new MaildirStoreOptions { DataDirectory = _data.Path }, time: _time);
        using (var message = new MemoryStream(Encoding.ASCII.GetBytes("Subject: old\n\nbody\n")))
        {
            await store.DeliverAsync("carol", message, CancellationToken.None);
        }

        var sweeper = new RetentionSweeper(store, new Rule(new RetentionRule(null, 2)), _time);
        using var service = new RetentionSweeperService(sweeper, new Users(["carol"]), new RetentionSweepOptions { Interval = TimeSpan.FromDays(1) }, _time);
        var sweeps = new List<TaskCompletionSource<RetentionSweepReport>> { new(), new(), new() };
        var count = 0;
        service.SweepCompleted += report => sweeps[count++].TrySetResult(report);
        await service.StartAsync(CancellationToken.None);

        _time.Advance(TimeSpan.FromDays(1));
        var first = await sweeps[0].Task.WaitAsync(TimeSpan.FromSeconds(30));
        _time.Advance(TimeSpan.FromDays(1));
        var second = await sweeps[1].Task.WaitAsync(TimeSpan.FromSeconds(30));
        await service.StopAsync(CancellationToken.None);

        Assert.Empty(first.Expired);
        Assert.Equal("carol", Assert.Single(second.Expired).User);
        await using var maildrop = await store.OpenAsync("carol", null, CancellationToken.None);
        Assert.Empty(maildrop.Messages);
    }

    private sealed class Rule(RetentionRule rule) : IRetentionRuleSource
    {
        public ValueTask<RetentionRule> GetRuleAsync(string user, CancellationToken cancellationToken) => ValueTask.FromResult(rule);
    }

    private sealed class Users(IReadOnlyList<string> names) : IUserLister
    {
        public ValueTask<IReadOnlyList<string>> ListUserNamesAsync(CancellationToken cancellationToken) => ValueTask.FromResult(names);
    }
}
