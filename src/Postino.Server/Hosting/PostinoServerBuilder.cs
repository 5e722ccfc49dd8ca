using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Postino.Server.Hosting.Sockets;

namespace Postino.Server.Hosting;

/// <summary>
/// Builds a <see cref="PostinoServer"/>: Postino's socket transport (<see cref="SocketTransport"/>; Kestrel's connection
/// abstractions, not its server: <see cref="ListenerHost"/> accepts) with one listener per protocol endpoint. Each protocol registers its services in
/// <see cref="Services"/> and its listeners with
/// <see cref="AddListener{THandler}(string, string, ListenerTls, Action{IConnectionBuilder}?, ConnectionAdmissionOptions?)"/>;
/// each listener admits its connections through its own <see cref="ConnectionAdmission"/> (defaults unless given).
/// </summary>
public sealed class PostinoServerBuilder
{
    private readonly HostApplicationBuilder _host;
    private readonly List<PostinoListener> _listeners = [];

    public PostinoServerBuilder(PostinoServerOptions? options = null)
    {
        Options = options ?? new PostinoServerOptions();
        PostinoOptionsException.ThrowIfInvalid(Options.Validate());
        _host = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        // A connection's input goes to its session, and the session's replies to the socket, on the thread that has
        // them, with no hand-over to the pool per request and reply: what may block moves to the pool on its own
        // (OffEventLoop; docs/architecture.md, "Threads"). With DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1, which
        // `postino serve` sets, that thread is the socket's event thread.
        Services.TryAddSingleton(new SocketConnectionOptions());
        Services.TryAddSingleton<IConnectionListenerFactory, SocketTransport>();
        Services.AddLogging();
        Services.AddSingleton(Options);
        // One descriptor budget for every listener of the process (tests register a small one first).
        Services.TryAddSingleton(_ => DescriptorBudget.ForProcess());
        Services.Configure<HostOptions>(o => o.ShutdownTimeout = Options.ShutdownGracePeriod);
        if (Options.MemoryTrimInterval > TimeSpan.Zero)
        {
            Services.AddHostedService(s => new MemoryTrimmer(
                s.GetRequiredService<DescriptorBudget>(),
                Options.MemoryTrimInterval,
                s.GetService<TimeProvider>() ?? TimeProvider.System,
                s.GetRequiredService<ILogger<MemoryTrimmer>>()));
        }
    }

    public PostinoServerOptions Options { get; }

    /// <summary>Where protocols, stores and policies register their services.</summary>
    public IServiceCollection Services => _host.Services;

    public ILoggingBuilder Logging => _host.Logging;

    /// <summary>The listeners added so far.</summary>
    public IReadOnlyList<PostinoListener> Listeners => _listeners;

    /// <summary>
    /// Adds a listener from its config text ("ADDR:PORT", "unix:PATH"); "none" adds nothing. A bad address throws
    /// <see cref="PostinoOptionsException"/> naming <paramref name="name"/>.
    /// </summary>
    public PostinoServerBuilder AddListener<THandler>(
        string name,
        string address,
        ListenerTls tls = ListenerTls.None,
        Action<IConnectionBuilder>? configure = null,
        ConnectionAdmissionOptions? admission = null)
        where THandler : ConnectionHandler
    {
        if (!ListenAddress.TryParse(address, out var endPoint, out var error))
        {
            throw new PostinoOptionsException([$"{name}: {error}"]);
        }

        return endPoint is null ? this : AddListener<THandler>(name, endPoint, tls, configure, admission);
    }

    /// <summary>Adds a listener on an end point (an <see cref="IPEndPoint"/>, port 0 for any free port, or a Unix socket).</summary>
    public PostinoServerBuilder AddListener<THandler>(
        string name,
        EndPoint endPoint,
        ListenerTls tls = ListenerTls.None,
        Action<IConnectionBuilder>? configure = null,
        ConnectionAdmissionOptions? admission = null)
        where THandler : ConnectionHandler
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(endPoint);
        if (_listeners.Any(l => l.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new PostinoOptionsException([$"{name}: a listener by this name is already configured"]);
        }

        _listeners.Add(new PostinoListener(name, endPoint, typeof(THandler), tls, configure, o => o.UseConnectionHandler<THandler>(), admission));
        return this;
    }

    /// <summary>Builds the server; it needs at least one listener (every address "none" is a configuration error).</summary>
    public PostinoServer Build()
    {
        if (_listeners.Count == 0)
        {
            throw new PostinoOptionsException(["no listener is configured: every listener address is \"none\""]);
        }

        var listeners = _listeners.ToArray();
        Services.AddSingleton(s => new ListenerHost(
            listeners,
            s.GetRequiredService<IConnectionListenerFactory>(),
            s,
            s.GetRequiredService<ILogger<ListenerHost>>()));
        Services.AddHostedService(s => s.GetRequiredService<ListenerHost>());
        return new PostinoServer(_host.Build(), listeners);
    }
}
