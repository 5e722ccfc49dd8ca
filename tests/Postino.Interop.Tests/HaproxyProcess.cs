using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Postino.Interop.Tests;

/// <summary>
/// A private HAProxy (Debian <c>haproxy</c>, scripts/install-haproxy.sh) in <c>mode tcp</c> on free loopback ports,
/// one frontend per backend given, each relaying to 127.0.0.1:PORT (round robin when a backend has several ports:
/// several nodes) with the given server option (<c>send-proxy</c> for v1, <c>send-proxy-v2</c>). Stopped and its
/// folder removed on dispose.
/// </summary>
internal sealed class HaproxyProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;
    private readonly StringBuilder _output = new();

    private HaproxyProcess(Process process, string folder, IReadOnlyDictionary<string, int> ports)
    {
        _process = process;
        _folder = folder;
        Ports = ports;
    }

    /// <summary>The port of each frontend, by name.</summary>
    public IReadOnlyDictionary<string, int> Ports { get; }

    public static Task<HaproxyProcess> StartAsync(params (string Name, int BackendPort, string ServerOption)[] frontends) =>
        StartBalancedAsync([.. frontends.Select(f => (f.Name, (IReadOnlyList<int>)[f.BackendPort], f.ServerOption))]);

    /// <summary>One frontend per entry, balancing its connections round robin over the backend ports.</summary>
    public static async Task<HaproxyProcess> StartBalancedAsync(
        IReadOnlyList<(string Name, IReadOnlyList<int> BackendPorts, string ServerOption)> frontends)
    {
        var folder = Directory.CreateTempSubdirectory("postino-haproxy-").FullName;
        var ports = frontends.ToDictionary(f => f.Name, _ => FreePort());
        var config = new StringBuilder("""
            global
                maxconn 200
                # One thread: round robin then alternates strictly between servers, which the two-node test relies on.
                nbthread 1
            defaults
                mode tcp
                timeout connect 5s
                timeout client 60s
                timeout server 60s

            """);
        foreach (var (name, backendPorts, option) in frontends)
        {
            config.Append(System.Globalization.CultureInfo.InvariantCulture, $"""
                frontend fe_{name}
                    bind 127.0.0.1:{ports[name]}
                    default_backend be_{name}
                backend be_{name}
                    balance roundrobin

                """);
            for (var i = 0; i < backendPorts.Count; i++)
            {
                config.Append(System.Globalization.CultureInfo.InvariantCulture, $"    server postino{i} 127.0.0.1:{backendPorts[i]} {option}\n");
            }

            config.Append('\n');
        }

        var file = Path.Combine(folder, "haproxy.cfg");
        await File.WriteAllTextAsync(file, config.ToString());
        var binary = File.Exists("/usr/sbin/haproxy") ? "/usr/sbin/haproxy" : "haproxy";
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-db", "-f", file })
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException($"haproxy is needed by this test (scripts/install-haproxy.sh): {exception.Message}", exception);
        }

        var haproxy = new HaproxyProcess(process, folder, ports);
        process.OutputDataReceived += (_, e) => haproxy.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => haproxy.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        foreach (var port in ports.Values)
        {
            await haproxy.WaitListeningAsync(port);
        }

        return haproxy;
    }

    /// <summary>A TCP connection to a frontend from <paramref name="from"/> (another loopback address, so that the real client differs from the proxy).</summary>
    public async Task<TcpClient> ConnectAsync(string frontend, IPAddress from)
    {
        var client = new TcpClient(new IPEndPoint(from, 0));
        await client.ConnectAsync(IPAddress.Loopback, Ports[frontend]);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitListeningAsync(int port)
    {
        // HAProxy says nothing when it is ready: it is once a frontend accepts a connection.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException("haproxy exited: " + Output);
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
                return;
            }
            catch (SocketException) when (!timeout.IsCancellationRequested)
            {
                await Task.Delay(20, timeout.Token);
            }
        }
    }

    private string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private void OnLine(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
