using System.CommandLine;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Postino.Cli.Commands;
using Postino.Storage;
using Postino.Storage.Maildir;
using Postino.Storage.Retention;

namespace Postino.Cli.Tests.Commands;

public sealed class ExpireCommandTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("postino-expire-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly MaildirStore _store;

    public ExpireCommandTests() => _store = new MaildirStore(new MaildirStoreOptions { DataDirectory = _data }, time: _time);

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task Dry_run_lists_and_keeps_then_a_real_run_removes()
    {
        await DeliverAsync("ann");
        await DeliverAsync("bob");
        _time.Advance(TimeSpan.FromDays(10));

        var (dryCode, dryOut, _) = await RunAsync("expire", "--dry-run", "ann");
        var (code, output, _) = await RunAsync("expire");

        Assert.Equal(0, dryCode);
        Assert.Contains("would expire ann ", dryOut, StringComparison.Ordinal);
        Assert.Contains("1 message(s) would expire in 1 mailbox(es)", dryOut, StringComparison.Ordinal);
        Assert.Equal(0, code);
        Assert.Contains("2 message(s) expired in 2 mailbox(es)", output, StringComparison.Ordinal);
        await using var maildrop = await _store.OpenAsync("ann", null, CancellationToken.None);
        Assert.Empty(maildrop.Messages);
    }

    [Fact]
    public async Task A_mailbox_in_use_asks_cron_to_try_again_and_an_unknown_user_is_refused()
    {
        await DeliverAsync("ann");
        _time.Advance(TimeSpan.FromDays(10));

        int busyCode;
        string busyError;
        await using (await _store.OpenAsync("ann", null, CancellationToken.None))
        {
            (busyCode, _, busyError) = await RunAsync("expire", "ann");
        }

        var (unknownCode, _, unknownError) = await RunAsync("expire", "zed");

        Assert.Equal(ExpireCommand.TryAgainLater, busyCode);
        Assert.Contains("ann skipped", busyError, StringComparison.Ordinal);
        Assert.Equal(ExpireCommand.UnknownUser, unknownCode);
        Assert.Contains("no user zed", unknownError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_that_cannot_be_reached_asks_cron_to_try_again_in_one_line()
    {
        var root = new RootCommand
        {
            ExpireCommand.Create((_, _) => Task.FromException<ExpireCommand.Services>(new StorageException("cannot reach the database"))),
        };
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await root.Parse(["expire"]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });

        Assert.Equal(ExpireCommand.TryAgainLater, code);
        Assert.Equal("postino expire: cannot reach the database" + Environment.NewLine, error.ToString());
        Assert.Empty(output.ToString());
    }

    private async Task DeliverAsync(string user)
    {
        using var message = new MemoryStream(Encoding.ASCII.GetBytes("Subject: old\n\nbody\n"));
        await _store.DeliverAsync(user, message, CancellationToken.None);
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var sweeper = new RetentionSweeper(_store, new Rule(new RetentionRule(null, 7)), _time);
        var root = new RootCommand { ExpireCommand.Create((_, _) => Task.FromResult(new ExpireCommand.Services(sweeper, new Users()))) };
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    private sealed class Rule(RetentionRule rule) : IRetentionRuleSource
    {
        public ValueTask<RetentionRule> GetRuleAsync(string user, CancellationToken cancellationToken) => ValueTask.FromResult(rule);
    }

    private sealed class Users : IUserLister
    {
        public ValueTask<IReadOnlyList<string>> ListUserNamesAsync(CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<string>>(["ann", "bob"]);
    }
}
