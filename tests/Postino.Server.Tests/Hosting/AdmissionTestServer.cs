using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Postino.Server.Auth;
using Postino.Server.Hosting;
using Postino.Server.Pop3;
using Postino.Server.Pop3.Tls;
using Postino.Server.Tests.Fakes;
using Postino.Server.Tests.Tls;
using Postino.Server.Tls;
using Postino.Storage;

namespace Postino.Server.Tests.Hosting;

/// <summary>A real host with "pop3" and "pop3s" on 127.0.0.1 (ports 0), each with the given admission, on a fake clock.</summary>
internal sealed class AdmissionTestServer : IAsyncDisposable
{
    private AdmissionTestServer(PostinoServer server, FakeTimeProvider time, FakeAuthenticator authenticator)
    {
        Server = server;
        Time = time;
        Authenticator = authenticator;
    }

    public PostinoServer Server { get; }

    public FakeTimeProvider Time { get; }

    public FakeAuthenticator Authenticator { get; }

    public ConnectionAdmission Pop3 => Server.GetListener("pop3").Admission!;

    public ConnectionAdmission Pop3s => Server.GetListener("pop3s").Admission!;

    public static async Task<AdmissionTestServer> StartAsync(ConnectionAdmissionOptions pop3, ConnectionAdmissionOptions pop3s, DescriptorBudget? descriptors = null)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var settings = new TlsServerSettings(new FixedCertificateProvider(TestCertificates.SelfSigned()));
        var store = new MemoryMailStore();
        store.Mailbox("alice").Add("u1", "Subject: one\r\n\r\nHello.\r\n");
        var authenticator = new FakeAuthenticator();
        authenticator.Passwords["alice"] = "pw";
        var builder = new PostinoServerBuilder(new PostinoServerOptions { HostName = "test.example" });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<IMailStore>(store);
        builder.Services.AddSingleton<IPasswordAuthenticator>(authenticator);
        builder.Services.AddPop3(new Pop3Options());
        if (descriptors is not null)
        {
            builder.Services.AddSingleton(descriptors);
        }

        builder.AddListener<Pop3ConnectionHandler>("pop3", "127.0.0.1:0", admission: pop3);
        builder.AddListener<Pop3ConnectionHandler>("pop3s", "127.0.0.1:0", ListenerTls.Implicit, o => o.UseImplicitTls(settings), pop3s);
        var server = builder.Build();
        await server.StartAsync();
        return new AdmissionTestServer(server, time, authenticator);
    }

    public async Task<Socket> ConnectAsync(string listener, IPAddress? from = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (from is not null)
        {
            socket.Bind(new IPEndPoint(from, 0));
        }

        await socket.ConnectAsync(Server.GetBoundEndPoint(listener));
        return socket;
    }

    /// <summary>The first line the server sends, or null when it closes without a word.</summary>
    public static async Task<string?> ReadLineAsync(Socket socket)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            int read;
            try
            {
                read = await socket.ReceiveAsync(one, SocketFlags.None, timeout.Token);
            }
            catch (SocketException)
            {
                read = 0;
            }

            if (read == 0)
            {
                return bytes.Count == 0 ? null : Encoding.ASCII.GetString([.. bytes]);
            }

            if (one[0] == '\n')
            {
                return Encoding.ASCII.GetString([.. bytes]).TrimEnd('\r');
            }

            bytes.Add(one[0]);
        }
    }

    /// <summary>Waits (on real time, bounded) for a condition the server reaches asynchronously.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (timeout.IsCancellationRequested)
            {
                Assert.Fail("timed out waiting for " + what);
            }

            await Task.Yield();
            await Task.Delay(5, CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Server.StopAsync();
        await Server.DisposeAsync();
    }
}
