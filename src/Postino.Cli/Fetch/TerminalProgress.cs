using Postino.Fetch.Fetching;
using Spectre.Console;

namespace Postino.Cli.Fetch;

/// <summary>A Spectre.Console progress bar per account: octets downloaded, with the message count in its label.</summary>
internal sealed class TerminalProgress(ProgressContext context) : IFetchProgress
{
    private readonly Dictionary<string, (ProgressTask Task, int Total, int Done)> _tasks = [];

    public void Started(FetchAccount account, int messages, long octets)
    {
        var task = context.AddTask(Label(account, 0, messages), maxValue: Math.Max(1, octets));
        task.IsIndeterminate = octets == 0 && messages > 0;
        if (messages == 0)
        {
            task.Value = task.MaxValue;
        }

        _tasks[account.Name] = (task, messages, 0);
    }

    public void MessageStored(FetchAccount account, long octets)
    {
        if (_tasks.TryGetValue(account.Name, out var entry))
        {
            entry.Done++;
            entry.Task.Increment(octets);
            entry.Task.Description = Label(account, entry.Done, entry.Total);
            _tasks[account.Name] = entry;
        }
    }

    public void Notice(FetchAccount account, string message) =>
        AnsiConsole.MarkupLine($"[grey]{Markup.Escape(account.Name)}: {Markup.Escape(message)}[/]");

    /// <summary>Marks every bar complete once the fetch is over (limits and skips leave them short).</summary>
    public void Finish()
    {
        foreach (var (task, _, _) in _tasks.Values)
        {
            task.IsIndeterminate = false;
            task.Value = task.MaxValue;
            task.StopTask();
        }
    }

    private static string Label(FetchAccount account, int done, int total) => Markup.Escape($"{account.Name} {done}/{total} messages");
}
