using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Postino.Server.Tests.Delivery;

/// <summary>
/// The real <c>postino serve</c> run as a child process with only its POP3 and LMTP listeners, on 127.0.0.1 port 0,
/// so a test can SIGKILL a real server and start it again on the same data folder. <c>postino.dll</c> is copied next
/// to the tests by the project reference to Postino.Cli.
/// </summary>
internal sealed partial class PostinoServeProcess : IAsyncDisposable
{
    public static readonly string PostinoDll = Path.Combine(AppContext.BaseDirectory, "postino.dll");

    private readonly Process _process;
    private readonly Dictionary<string, int> _ports = new(StringComparer.OrdinalIgnoreCase);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _output = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource Seen)> _waiters = [];

    private PostinoServeProcess(Process process) => _process = process;

    public int LmtpPort => Port("lmtp");


    public int Pop3Port => Port("pop3");

    public int ProcessId => _process.Id;

    /// <summary>Everything the server printed so far (stdout and stderr, log lines included).</summary>
    public string Output => OutputText();

    /// <summary><c>postino user add NAME --password-stdin</c>, so that the server finds a real users file.</summary>
    public static async Task AddUserAsync(string dataDir, string userName, string password)
    {
        var (exitCode, output) = await ExternalProcess.RunAsync(
            "dotnet", password + "\n", PostinoDll, "user", "add", userName, "--password-stdin", "--data-dir", dataDir);
        Assert.True(exitCode == 0, $"postino user add {userName} failed ({exitCode}):\n{output}");
    }

    /// <param name="extra">more arguments for serve (e.g. <c>--store URL --node-name A</c>).</param>
    public static async Task<PostinoServeProcess> StartAsync(string dataDir, params string[] extra)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            PostinoDll, "serve", "--data-dir", dataDir,
            "--pop3", "127.0.0.1:0", "--pop3s", "none", "--pop2", "none", "--lmtp", "127.0.0.1:0", "--smtp", "none", "--metrics", "none",
            .. extra,
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start postino serve");
        var server = new PostinoServeProcess(process);
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // The machine may be loaded (a full test run in parallel): a generous bound, never a sleep.
        var first = await Task.WhenAny(server._ready.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(2)));
        if (first != server._ready.Task)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException("postino serve did not become ready:\n" + server.OutputText());
        }

        return server;
    }

    /// <summary>SIGKILL (Process.Kill on Unix): no shutdown code runs, exactly like a crash of the process.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private int Port(string service)
    {
        lock (_output)
        {
            return _ports.TryGetValue(service, out var port)
                ? port
                : throw new InvalidOperationException($"postino serve reported no {service} listener:\n{string.Join('\n', _output)}");
        }
    }

    /// <summary>Everything the process printed so far (banner and log lines).</summary>
    public string OutputText()
    {
        lock (_output)
        {
            return string.Join('\n', _output);
        }
    }

    /// <summary>Completes when a line matching <paramref name="match"/> has been printed (before or after the call).</summary>
    public async Task WaitForLineAsync(Func<string, bool> match, TimeSpan limit, CancellationToken cancellationToken = default)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            if (_output.Any(match))
            {
                return;
            }

            _waiters.Add((match, seen));
        }

        if (await Task.WhenAny(seen.Task, Task.Delay(limit, cancellationToken)) != seen.Task)
        {
            throw new TimeoutException($"no such line after {limit}:\n{OutputText()}");
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
            foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Seen.TrySetResult();
            }

            if (ListeningLine().Match(line) is { Success: true } listening)
            {
                _ports[listening.Groups["service"].Value] = int.Parse(listening.Groups["port"].Value, CultureInfo.InvariantCulture);
            }
        }

        if (line.Contains("postino is ready", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }

    [GeneratedRegex(@"^\s*(?<service>[a-z0-9]+)\s+listening on \S*?:(?<port>\d+)")]
    private static partial Regex ListeningLine();
}
