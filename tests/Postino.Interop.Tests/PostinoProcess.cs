using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Postino.Interop.Tests;

/// <summary>
/// Runs the real <c>postino serve</c> command in a child process on a temporary data folder, with every listener on
/// 127.0.0.1 port 0, and reads back from its output the ports it bound and the demo user's password.
/// </summary>
public sealed partial class PostinoProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Dictionary<string, int> _ports = new(StringComparer.OrdinalIgnoreCase);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _output = [];

    private PostinoProcess(string dataDir, Process process)
    {
        DataDir = dataDir;
        _process = process;
    }

    public string DataDir { get; }

    /// <summary>True once the server process is gone (crashed, or stopped).</summary>
    public bool HasExited => _process.HasExited;

    public string DemoPassword { get; private set; } = "";

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

    public int Port(string service) => _ports.TryGetValue(service, out var port)
        ? port
        : throw new InvalidOperationException($"postino did not report a {service} listener:\n{string.Join('\n', Output)}");

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

    /// <summary>Starts any postino program (e.g. a packaged one) with its own arguments; <paramref name="dataDir"/> is deleted at dispose.</summary>
    public static async Task<PostinoProcess> StartProgramAsync(
        string program, IEnumerable<string> args, string dataDir, IReadOnlyDictionary<string, string>? environment = null)
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
        var server = new PostinoProcess(dataDir, process);
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(server._ready.Task, exited, Task.Delay(TimeSpan.FromSeconds(60)));
        if (first != server._ready.Task)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException("postino serve did not become ready:\n" + string.Join('\n', server.Output));
        }

        return server;
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

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; the test result is what matters.
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
        }

        if (ListeningLine().Match(line) is { Success: true } listening)
        {
            _ports[listening.Groups["service"].Value] = int.Parse(listening.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (PasswordLine().Match(line) is { Success: true } password)
        {
            DemoPassword = password.Groups["password"].Value;
        }
        else if (line.Contains("postino is ready", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }

    [GeneratedRegex(@"^\s*(?<service>[a-z0-9]+)\s+listening on \S*?:(?<port>\d+)")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"user demo .*password (?<password>\S+)")]
    private static partial Regex PasswordLine();
}
