using System.Diagnostics;
using System.Globalization;

namespace Postino.Server.Tests.Delivery;

/// <summary>
/// scripts/lmtp-test-host.cs (an LMTP server over the Maildir store) run as a child process, so a test can SIGKILL a
/// real server. The first start compiles the host, which takes a while on a loaded machine.
/// </summary>
internal sealed class LmtpHostProcess : IDisposable
{
    private readonly Process _runner;
    private readonly Process _server;

    private LmtpHostProcess(Process runner, Process server, int port)
    {
        _runner = runner;
        _server = server;
        Port = port;
    }

    public int Port { get; }

    public static async Task<LmtpHostProcess> StartAsync(string dataDir)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "run", "--file", ExternalProcess.Script("lmtp-test-host.cs"), "--", dataDir, "0" })
        {
            start.ArgumentList.Add(argument);
        }

        var runner = Process.Start(start)!;
        var errors = runner.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var output = new List<string>();
        while (await runner.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            output.Add(line);
            var words = line.Split(' ');
            if (words is ["listening", var port, "pid", var pid])
            {
                var server = Process.GetProcessById(int.Parse(pid, CultureInfo.InvariantCulture));
                return new LmtpHostProcess(runner, server, int.Parse(port, CultureInfo.InvariantCulture));
            }
        }

        throw new InvalidOperationException("the LMTP test host did not start: " + string.Join('\n', output) + await errors);
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crash or a power cut for the process.</summary>
    public void Kill()
    {
        _server.Kill();
        _server.WaitForExit();
        _runner.WaitForExit();
    }

    public void Dispose()
    {
        if (!_server.HasExited)
        {
            Kill();
        }

        _server.Dispose();
        _runner.Dispose();
    }
}
