using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Postino.Testing;

namespace Postino.Fetch.Tests.Dovecot;

/// <summary>
/// A private Dovecot POP3 server (scripts/dovecot/private-dovecot.sh) in a temporary directory, on free loopback
/// ports: plain POP3 with STLS, and POP3S. Needs root and the packages from scripts/install-dovecot.sh; fails with
/// that instruction when they are missing (never skips).
/// </summary>
public sealed class DovecotServer : IAsyncLifetime
{
    /// <summary>The password of every pre-created user.</summary>
    public const string Password = "pass word 1";

    // Dovecot re-reads passwd-file at most once a second, so users added while it runs may stay unknown for a
    // moment: all users are created before it starts and handed out one per test.
    private const int UserPool = 40;
    private readonly Queue<string> _users = new();
    private string _script = string.Empty;

    public string Directory { get; private set; } = string.Empty;

    public int Pop3Port { get; private set; }

    public int Pop3sPort { get; private set; }

    /// <summary>SHA-256 of the server certificate, for --fingerprint.</summary>
    public string CertificateSha256 { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        if (!File.Exists("/usr/sbin/dovecot") || !File.Exists("/usr/lib/dovecot/pop3"))
        {
            throw new InvalidOperationException("Dovecot is not installed: run scripts/install-dovecot.sh (as root) before these tests.");
        }

        if (OperatingSystem.IsWindows() || Environment.UserName != "root")
        {
            throw new InvalidOperationException("The Dovecot tests must run as root (Dovecot starts as root and drops to the mail uid).");
        }

        _script = RepositoryRoot.Script(Path.Combine("dovecot", "private-dovecot.sh"));
        Directory = System.IO.Directory.CreateTempSubdirectory("pdv").FullName;
        if (!OperatingSystem.IsWindows())
        {
            // Dovecot's unprivileged processes must reach the users' homes below it.
            File.SetUnixFileMode(Directory, (UnixFileMode)0b111_101_101);
        }
        for (var i = 0; i < UserPool; i++)
        {
            var user = "u" + Guid.NewGuid().ToString("N")[..10];
            await RunScriptAsync("adduser", Directory, user, Password);
            _users.Enqueue(user);
        }

        Pop3Port = FreePort();
        Pop3sPort = FreePort();
        await RunScriptAsync("start", Directory, Pop3Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Pop3sPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var certificate = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Path.Combine(Directory, "cert.pem")));
        CertificateSha256 = Convert.ToHexString(SHA256.HashData(certificate.RawData));
    }

    public async Task DisposeAsync()
    {
        if (Directory.Length > 0)
        {
            await RunScriptAsync("stop", Directory);
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    /// <summary>A user of its own for one test, with an empty Maildir and <see cref="Password"/>.</summary>
    public string TakeUser()
    {
        lock (_users)
        {
            return _users.Dequeue();
        }
    }

    /// <summary>The end of Dovecot's log, for assertion messages.</summary>
    public string LogTail() => string.Join('\n', File.ReadLines(Path.Combine(Directory, "dovecot.log")).TakeLast(8));

    public string MaildirOf(string user) => Path.Combine(Directory, "home", user, "Maildir");

    /// <summary>Drops a message (LF line ends) into the user's Maildir/new, owned by the mail uid.</summary>
    public async Task DeliverAsync(string user, string content)
    {
        var path = Path.Combine(MaildirOf(user), "new", $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Guid.NewGuid():N}.test");
        await File.WriteAllTextAsync(path, content);
        await RunAsync("chown", "mail:mail", path);
    }

    /// <summary>Messages left on the server (new/ and cur/).</summary>
    public int CountOnServer(string user) =>
        new[] { "new", "cur" }.Sum(sub => System.IO.Directory.EnumerateFiles(Path.Combine(MaildirOf(user), sub)).Count());

    private Task RunScriptAsync(params string[] arguments) => RunAsync("/bin/sh", [_script, .. arguments]);

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var (exitCode, _, stderr) = await ExternalProgram.RunAsync(program, arguments);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({exitCode}): {stderr}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class DovecotCollection : ICollectionFixture<DovecotServer>
{
    public const string Name = "Dovecot";
}
