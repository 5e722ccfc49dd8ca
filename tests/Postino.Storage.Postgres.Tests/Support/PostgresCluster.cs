using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Postino.Testing;

namespace Postino.Storage.Postgres.Tests.Support;

/// <summary>
/// A private PostgreSQL cluster for this test run: <c>initdb</c> into a temporary folder as an unprivileged user
/// (<c>nobody</c> when the tests run as root), a free port on 127.0.0.1, its Unix socket in that folder; never the
/// system service. It is started once per test process and stopped when the process exits; the postmaster runs under
/// a shell that stops it as soon as its standard input closes, so even a killed test run leaves no server behind.
/// Each test gets its own database, copied from a migrated template.
/// </summary>
public sealed class PostgresCluster
{
    private const string OwnerFile = "owner.pid";
    private static readonly Lazy<Task<PostgresCluster>> Shared = new(StartAsync);
    private static int _databases;
    private readonly Process _server;

    private PostgresCluster(string folder, int port, Process server)
    {
        Folder = folder;
        Port = port;
        _server = server;
    }

    /// <summary>The cluster's folder; its Unix socket is here too.</summary>
    public string Folder { get; }

    public int Port { get; }

    public static Task<PostgresCluster> GetAsync() => Shared.Value;

    /// <summary>Settings for database <paramref name="database"/> over the Unix socket, as the superuser.</summary>
    public NpgsqlConnectionStringBuilder Settings(string database) => new()
    {
        Host = Folder,
        Port = Port,
        Username = "postgres",
        Database = database,
        Pooling = true,
        MaxPoolSize = 20,
    };

    /// <summary>A libpq URL of <paramref name="database"/> (over TCP on 127.0.0.1) for the command line.</summary>
    public string Url(string database) => string.Create(CultureInfo.InvariantCulture, $"postgresql://postgres@127.0.0.1:{Port}/{database}");

    /// <summary>A fresh database with the current schema.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"t{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}");
        await using var admin = NpgsqlDataSource.Create(Settings("postgres"));
        await using var command = admin.CreateCommand($"CREATE DATABASE {name} TEMPLATE postino_template");
        await command.ExecuteNonQueryAsync();
        return name;
    }

    /// <summary>An empty database (no schema), to test migrations.</summary>
    public async Task<string> CreateEmptyDatabaseAsync()
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"e{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}");
        await using var admin = NpgsqlDataSource.Create(Settings("postgres"));
        await using var command = admin.CreateCommand($"CREATE DATABASE {name}");
        await command.ExecuteNonQueryAsync();
        return name;
    }

    private static async Task<PostgresCluster> StartAsync()
    {
        var bin = FindBinaries();
        RemoveStaleClusters();
        var folder = Directory.CreateTempSubdirectory("postino-pg-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("chown", ["nobody", folder]);
        }

        var data = Path.Combine(folder, "data");
        await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"], asRoot);
        var port = FreePort();

        // fsync off: test data need not survive a power cut, and the machine is shared.
        var postgres = string.Join(' ', Quote(Path.Combine(bin, "postgres")), "-D", Quote(data), "-p", port.ToString(CultureInfo.InvariantCulture), "-k", Quote(folder),
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=300",
            "-c", "shared_buffers=32MB", "-c", "log_min_messages=warning");
        var watchdog = $"{postgres} </dev/null & pid=$!; echo started; cat >/dev/null; kill -INT $pid; wait $pid";
        var start = asRoot
            ? new ProcessStartInfo("runuser", ["-u", "nobody", "--", "sh", "-c", watchdog])
            : new ProcessStartInfo("sh", ["-c", watchdog]);
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var server = Process.Start(start) ?? throw new InvalidOperationException("cannot start postgres");
        server.ErrorDataReceived += (_, _) => { };
        server.BeginErrorReadLine();
        var cluster = new PostgresCluster(folder, port, server);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop();
        await cluster.WaitReadyAsync();
        await cluster.CreateTemplateAsync();
        return cluster;
    }

    private async Task WaitReadyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(Settings("postgres").ConnectionString);
                await connection.OpenAsync();
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or System.Net.Sockets.SocketException && DateTime.UtcNow < deadline && !_server.HasExited)
            {
                // The postmaster is still starting: it gives no other signal than accepting connections.
                await Task.Delay(50);
            }
        }
    }

    private async Task CreateTemplateAsync()
    {
        await using (var admin = NpgsqlDataSource.Create(Settings("postgres")))
        await using (var command = admin.CreateCommand("CREATE DATABASE postino_template"))
        {
            await command.ExecuteNonQueryAsync();
        }

        await using var database = PostgresDatabase.Open(Settings("postino_template"));
        await database.MigrateAsync(CancellationToken.None);
        NpgsqlConnection.ClearAllPools();
    }

    private void Stop()
    {
        try
        {
            _server.StandardInput.Close();
            _server.WaitForExit(30_000);
            Directory.Delete(Folder, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            // Best effort at exit: the folder is in the temporary directory.
        }
    }

    /// <summary>
    /// Removes the folders of earlier runs whose test process is gone (the test host may be killed before its exit
    /// handlers finish; their postmasters stopped when its pipe closed).
    /// </summary>
    private static void RemoveStaleClusters()
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), "postino-pg-*"))
        {
            try
            {
                var owner = int.Parse(File.ReadAllText(Path.Combine(folder, OwnerFile)), CultureInfo.InvariantCulture);
                if (!Directory.Exists($"/proc/{owner}") && !File.Exists(Path.Combine(folder, "data", "postmaster.pid")))
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
            {
                // Not ours, or being removed by its owner.
            }
        }
    }

    private static string FindBinaries()
    {
        foreach (var candidate in new[] { "/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin" })
        {
            if (File.Exists(Path.Combine(candidate, "postgres")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("PostgreSQL is not installed: run scripts/install-postgresql.sh");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static async Task RunAsync(string program, string[] arguments, bool asNobody = false)
    {
        // initdb on a loaded machine: a wide bound, only there so a stuck program cannot hang the run.
        var (exitCode, output) = asNobody
            ? await ExternalProgram.RunAsync("runuser", ["-u", "nobody", "--", program, .. arguments], timeoutSeconds: 600)
            : await ExternalProgram.RunAsync(program, arguments, timeoutSeconds: 600);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{program} failed ({exitCode}): {output}");
        }
    }
}
