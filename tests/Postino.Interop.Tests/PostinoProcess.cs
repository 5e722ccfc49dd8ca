using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Postino.Interop.Tests;

/// <summary>
/// The real <c>postino</c> program in a child process: <c>serve</c> with its listeners on 127.0.0.1 port 0 (the ports
/// it bound and the demo user's password are read back from its output), and the one-shot commands around it
/// (<c>user add</c>, <c>deliver</c>). A test can SIGKILL a server and start it again on the same data folder.
/// </summary>
public sealed partial class PostinoProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly bool _ownsDataDir;
    private readonly Dictionary<string, int> _ports = new(StringComparer.OrdinalIgnoreCase);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _output = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource Seen)> _waiters = [];

    private PostinoProcess(string dataDir, bool ownsDataDir, Process process)
    {
        DataDir = dataDir;
        _ownsDataDir = ownsDataDir;
        _process = process;
    }

    public string DataDir { get; }

    /// <summary>True once the server process is gone (crashed, or stopped).</summary>
    public bool HasExited => _process.HasExited;

    public int ProcessId => _process.Id;

    public string DemoPassword { get; private set; } = "";

    public int Pop3Port => Port("pop3");

    public int LmtpPort => Port("lmtp");

    /// <summary>Every line the process printed so far (stdout and stderr, log lines included).</summary>
    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_output)
            {
                return [.. _output];
            }
        }
    }

    public int Port(string service)
    {
        lock (_output)
        {
            return _ports.TryGetValue(service, out var port)
                ? port
                : throw new InvalidOperationException($"postino did not report a {service} listener:\n{string.Join('\n', _output)}");
        }
    }

    /// <summary>Everything the process printed so far, one string.</summary>
    public string OutputText() => string.Join('\n', Output);

    /// <summary><c>postino serve</c> on a fresh temporary data folder (removed at dispose) with every listener.</summary>
    public static Task<PostinoProcess> StartAsync(params string[] extraArgs) =>
        StartAsync(new Dictionary<string, string>(), extraArgs);

    /// <summary>Starts with extra environment variables (POSTINO__Section__Key overrides) and arguments.</summary>
    public static Task<PostinoProcess> StartAsync(IReadOnlyDictionary<string, string> environment, params string[] extraArgs)
    {
        var dataDir = Directory.CreateTempSubdirectory("postino-interop-").FullName;
        string[] args =
        [
            PostinoBinary.Path, "serve", "--data-dir", dataDir,
            "--pop3", "127.0.0.1:0", "--pop3s", "127.0.0.1:0", "--pop2", "127.0.0.1:0",
            "--lmtp", "127.0.0.1:0", "--smtp", "127.0.0.1:0", "--metrics", "127.0.0.1:0",
            .. extraArgs,
        ];
        return StartProgramAsync("dotnet", args, dataDir, environment);
    }

    /// <summary>
    /// <c>postino serve</c> with only its POP3 and LMTP listeners on a data folder the test owns (kept at dispose), so
    /// that a killed server can be started again on it.
    /// </summary>
    /// <param name="extra">more arguments for serve (e.g. <c>--store URL --node-name A</c>).</param>
    public static Task<PostinoProcess> StartOnAsync(string dataDir, params string[] extra)
    {
        string[] args =
        [
            PostinoBinary.Path, "serve", "--data-dir", dataDir,
            "--pop3", "127.0.0.1:0", "--pop3s", "none", "--pop2", "none", "--lmtp", "127.0.0.1:0", "--smtp", "none", "--metrics", "none",
            .. extra,
        ];
        return StartCoreAsync("dotnet", args, dataDir, ownsDataDir: false, environment: null);
    }

    /// <summary>Starts any postino program (e.g. a packaged one) with its own arguments; <paramref name="dataDir"/> is deleted at dispose.</summary>
    public static Task<PostinoProcess> StartProgramAsync(
        string program, IEnumerable<string> args, string dataDir, IReadOnlyDictionary<string, string>? environment = null) =>
        StartCoreAsync(program, args, dataDir, ownsDataDir: true, environment);

    /// <summary><c>dotnet postino.dll ARGS</c>, run to its end.</summary>
    public static Task<ProgramResult> RunAsync(IEnumerable<string> args, string? input = null) =>
        ExternalProgram.RunAsync("dotnet", [PostinoBinary.Path, .. args], input);

    /// <summary><c>postino user add NAME --password-stdin</c>, so that the server finds a real users file.</summary>
    public static async Task AddUserAsync(string dataDir, string userName, string password)
    {
        var (exitCode, output) = await RunAsync(["user", "add", userName, "--password-stdin", "--data-dir", dataDir], password + "\n");
        Assert.True(exitCode == 0, $"postino user add {userName} failed ({exitCode}):\n{output}");
    }

    /// <summary>Sends SIGTERM and waits for a graceful exit; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            Posix.Kill(_process.Id, Posix.Sigterm);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(timeout.Token);
        }

        return _process.ExitCode;
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

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        if (!_ownsDataDir)
        {
            return;
        }

        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; the test result is what matters.
        }
    }

    private static async Task<PostinoProcess> StartCoreAsync(
        string program, IEnumerable<string> args, string dataDir, bool ownsDataDir, IReadOnlyDictionary<string, string>? environment)
    {
        var startInfo = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start postino");
        var server = new PostinoProcess(dataDir, ownsDataDir, process);
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
            else if (PasswordLine().Match(line) is { Success: true } password)
            {
                DemoPassword = password.Groups["password"].Value;
            }
        }

        if (line.Contains("postino is ready", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }

    [GeneratedRegex(@"^\s*(?<service>[a-z0-9]+)\s+listening on \S*?:(?<port>\d+)")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"user demo .*password (?<password>\S+)")]
    private static partial Regex PasswordLine();
}
