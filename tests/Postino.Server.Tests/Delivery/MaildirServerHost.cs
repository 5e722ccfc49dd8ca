using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Postino.Server.Auth;
using Postino.Server.Hosting;
using Postino.Server.Lmtp;
using Postino.Server.Pop3;
using Postino.Server.Smtp;
using Postino.Storage;
using Postino.Storage.Maildir;
using Postino.Storage.Users;

namespace Postino.Server.Tests.Delivery;

/// <summary>
/// The production pieces together in-process: the users file, the Maildir store, POP3 and LMTP listeners on free
/// loopback ports (and LMTP on a Unix socket). User alice has the password "secret".
/// </summary>
internal sealed class MaildirServerHost : IAsyncDisposable
{
    private readonly TempDirectory _data;
    private readonly PostinoServer _server;

    private MaildirServerHost(TempDirectory data, PostinoServer server, string unixSocketPath, MaildirStore store)
    {
        _data = data;
        _server = server;
        UnixSocketPath = unixSocketPath;
        Store = store;
    }

    public MaildirStore Store { get; }

    public int LmtpPort => _server.GetBoundPort("lmtp");

    public int Pop3Port => _server.GetBoundPort("pop3");

    public string UnixSocketPath { get; }

    /// <summary>The data folder: users file, spool, and the Maildirs under mail/USER/Maildir.</summary>
    public string DataPath => _data.Path;

    /// <param name="syncNew">the fsync of a Maildir's <c>new/</c> (null: the real one).</param>
    public static async Task<MaildirServerHost> StartAsync(Func<string, ValueTask>? syncNew = null)
    {
        var data = new TempDirectory();
        var usersPath = Path.Combine(data.Path, "users");
        await File.WriteAllTextAsync(usersPath, "alice:{PLAIN}secret::::::\nbob:{PLAIN}secret::::::\n");
        var users = await UsersFile.OpenAsync(usersPath);
        var options = new MaildirStoreOptions { DataDirectory = data.Path };
        var store = syncNew is null
            ? new MaildirStore(options, users)
            : new MaildirStore(options, users) { Delivery = new MaildirDelivery(options.HostName, TimeProvider.System, new GroupDirectorySync(syncNew)) };
        var builder = new PostinoServerBuilder(new PostinoServerOptions { HostName = "mx.test" });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IUserDirectory>(users);
        builder.Services.AddSingleton<IMailStore>(store);
        builder.Services.AddPostinoAuthentication();
        builder.Services.AddPop3(new Pop3Options());
        builder.Services.AddPostinoLmtp(o => o.SpoolDirectory = Path.Combine(data.Path, "spool"));
        var socket = Path.Combine(data.Path, "lmtp.sock");
        builder.AddListener<Pop3ConnectionHandler>("pop3", new IPEndPoint(IPAddress.Loopback, 0));
        builder.AddListener<LmtpConnectionHandler>("lmtp", new IPEndPoint(IPAddress.Loopback, 0));
        builder.AddListener<LmtpConnectionHandler>("lmtp-unix", new System.Net.Sockets.UnixDomainSocketEndPoint(socket));
        var server = builder.Build();
        await server.StartAsync();
        return new MaildirServerHost(data, server, socket, store);
    }

    /// <summary>Logs in as <paramref name="user"/> and returns every message as POP3 RETR sends it (unstuffed).</summary>
    public async Task<IReadOnlyList<string>> RetrieveAllAsync(string user)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, Pop3Port);
        var pop3 = new RawPop3(tcp.GetStream());
        await pop3.CommandAsync(null);
        await pop3.CommandAsync("USER " + user);
        await pop3.CommandAsync("PASS secret");
        var count = int.Parse((await pop3.CommandAsync("STAT")).Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var messages = new List<string>();
        for (var msn = 1; msn <= count; msn++)
        {
            messages.Add(await pop3.RetrieveAsync(msn));
        }

        await pop3.CommandAsync("QUIT");
        return messages;
    }

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync();
        await _server.DisposeAsync();
        _data.Dispose();
    }
}
