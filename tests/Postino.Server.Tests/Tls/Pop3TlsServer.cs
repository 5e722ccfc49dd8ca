using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Postino.Server.Auth;
using Postino.Server.Hosting;
using Postino.Server.Pop3;
using Postino.Server.Pop3.Lang;
using Postino.Server.Pop3.Sasl;
using Postino.Server.Pop3.Tls;
using Postino.Server.Sasl;
using Postino.Server.Tests.Fakes;
using Postino.Server.Tests.Sasl;
using Postino.Server.Tls;
using Postino.Storage;
using Postino.Storage.Users;

namespace Postino.Server.Tests.Tls;

/// <summary>
/// A real server on 127.0.0.1 (ports 0, read back): the plain POP3 listener with STLS, and POP3S, with SASL, UTF8 and
/// LANG, over fake storage and users.
/// </summary>
internal sealed class Pop3TlsServer : IAsyncDisposable
{
    public const string User = "alice";
    public const string Password = "tanstaaf tanstaaf";
    public const string HashedUser = "bob";

    /// <summary>A user with a 4 KiB message and a 40 KiB one (TLS record counts).</summary>
    public const string BigUser = "carol";

    private Pop3TlsServer(PostinoServer server, TlsCertificate certificate)
    {
        Server = server;
        Certificate = certificate;
    }

    public PostinoServer Server { get; }

    public TlsCertificate Certificate { get; }

    public int Pop3Port => Server.GetBoundPort("pop3");

    public int Pop3sPort => Server.GetBoundPort("pop3s");

    public static async Task<Pop3TlsServer> StartAsync(PlaintextAuthPolicy plaintext)
    {
        var certificate = TestCertificates.SelfSigned();
        var settings = new TlsServerSettings(new FixedCertificateProvider(certificate));
        var store = new MemoryMailStore();
        store.Mailbox(User).Add("u1", "Subject: one\r\n\r\nHello.\r\n");
        var authenticator = new FakeAuthenticator();
        authenticator.Passwords[User] = Password;
        var directory = new MemoryUserDirectory();
        directory.Add(User, "{PLAIN}" + Password);

        // A user whose hash allows neither SCRAM nor CRAM-MD5 (the default scheme, Argon2id, is the same case).
        authenticator.Passwords[HashedUser] = Password;
        directory.Add(HashedUser, "{SSHA512}" + new Storage.Users.Schemes.Ssha512Scheme().Hash(Password).Split('}')[^1]);
        store.Mailbox(HashedUser).Add("h1", "Subject: hashed\r\n\r\nHi.\r\n");
        authenticator.Passwords[BigUser] = Password;
        directory.Add(BigUser, "{PLAIN}" + Password);
        store.Mailbox(BigUser).Add("c1", Message(4096));
        store.Mailbox(BigUser).Add("c2", Message(40960));

        var builder = new PostinoServerBuilder(new PostinoServerOptions { HostName = "localhost" });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IMailStore>(store);
        builder.Services.AddSingleton<IPasswordAuthenticator>(authenticator);
        builder.Services.AddSingleton<IUserDirectory>(directory);
        builder.AddPop3(new Pop3Options { Listen = "127.0.0.1:0" });
        builder.Services.AddPop3Tls(settings, plaintext);
        var lookup = new SecretLookup(directory);
        builder.Services.AddSingleton(new SaslAuthenticator("localhost", authenticator, lookup, lookup, new RecordingLoginPolicy(), directory));
        builder.Services.AddPop3Sasl();
        builder.Services.AddPop3International();
        builder.AddPop3s("127.0.0.1:0", settings);
        var server = builder.Build();
        await server.StartAsync();
        return new Pop3TlsServer(server, certificate);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    /// <summary>A message of <paramref name="size"/> octets in lines of 72 letters.</summary>
    public static string Message(int size)
    {
        var line = new string('x', 70) + "\r\n";
        var body = string.Concat(Enumerable.Repeat(line, (size / line.Length) + 1));
        return ("Subject: big\r\n\r\n" + body)[..size];
    }
}
