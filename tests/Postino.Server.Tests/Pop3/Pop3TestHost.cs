using System.IO.Pipelines;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Postino.Server.Auth;
using Postino.Server.Hosting;
using Postino.Server.Pop3;
using Postino.Server.Tests.Fakes;
using Postino.Storage;
using Postino.Storage.Users;

namespace Postino.Server.Tests.Pop3;

/// <summary>The POP3 services wired as in production (AddPop3), over fakes, with a fake clock.</summary>
public sealed class Pop3TestHost : IAsyncDisposable
{
    public const string HostName = "test.example";

    /// <summary>RFC 1939's APOP example timestamp (with the secret "tanstaafl" the digest is a6f0dd348916c9ee9539661f94c75203).</summary>
    public const string ApopTimestamp = "<1896.697170952@dbc.mtview.ca.us>";

    private ServiceProvider? _provider;

    public Pop3Options Options { get; } = new() { Listen = "none" };

    public MemoryMailStore Store { get; } = new();

    /// <summary>A real store serving the session instead of <see cref="Store"/> (which then only describes the setup).</summary>
    public IMailStore? RealStore { get; set; }

    public FakeAuthenticator Authenticator { get; } = new();

    public MemoryUserDirectory Directory { get; } = new();

    public FakeTimeProvider Time { get; init; } = new();

    public ListLogger Logs { get; } = new();

    /// <summary>Extra registrations (extensions under test) made before the provider is built.</summary>
    public Action<IServiceCollection>? Configure { get; set; }

    public IServiceProvider Services => _provider ??= Build();

    /// <summary>Adds a user whose password the authenticator accepts and whose directory secret is {PLAIN}.</summary>
    public void AddUser(string name, string password)
    {
        Authenticator.Passwords[name] = password;
        Directory.Add(name, "{PLAIN}" + password);
    }

    /// <summary>Starts a session over in-memory pipes; <paramref name="serverOutput"/> shapes the pipe to the client.</summary>
    public Pop3TestConnection Connect(CancellationToken cancellationToken = default, PipeOptions? serverOutput = null)
    {
        var session = Services.GetRequiredService<Pop3SessionFactory>()
            .Create(new ClientConnection("pop3", new IPEndPoint(IPAddress.Parse("192.0.2.7"), 40000), null));
        return new Pop3TestConnection(session, cancellationToken, serverOutput);
    }

    public ValueTask DisposeAsync() => _provider?.DisposeAsync() ?? ValueTask.CompletedTask;

    private ServiceProvider Build()
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton(new PostinoServerOptions { HostName = HostName });
        services.AddSingleton<IMailStore>(RealStore ?? Store);
        services.AddSingleton<IPasswordAuthenticator>(Authenticator);
        services.AddSingleton<IUserDirectory>(Directory);
        services.AddSingleton<IApopTimestampSource>(new FixedApopTimestamp());
        services.AddPop3(Options);
        Configure?.Invoke(services);
        return services.BuildServiceProvider(validateScopes: true);
    }

    private sealed class FixedApopTimestamp : IApopTimestampSource
    {
        public string Next(string hostName) => ApopTimestamp;
    }
}
