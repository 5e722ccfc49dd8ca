using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Postino.Server.Hosting;

/// <summary>
/// One listener: a name, where it listens, its TLS mode, how it admits connections and the connection handler of its
/// protocol. Every connection goes through its <see cref="ConnectionAdmission"/> before anything else, TLS included.
/// </summary>
public sealed class PostinoListener
{
    private readonly Action<ListenOptions> _useHandler;
    private ListenOptions? _listenOptions;

    internal PostinoListener(
        string name,
        EndPoint endPoint,
        Type handlerType,
        ListenerTls tls,
        Action<ListenOptions>? configure,
        Action<ListenOptions> useHandler,
        ConnectionAdmissionOptions? admission = null)
    {
        AdmissionOptions = admission ?? new ConnectionAdmissionOptions();
        PostinoOptionsException.ThrowIfInvalid(AdmissionOptions.Validate(name));
        Name = name;
        EndPoint = endPoint;
        HandlerType = handlerType;
        Tls = tls;
        Configure = configure;
        _useHandler = useHandler;
    }

    public string Name { get; }

    /// <summary>The configured end point (port 0 = any free port).</summary>
    public EndPoint EndPoint { get; }

    /// <summary>The <see cref="ConnectionHandler"/> type that serves it.</summary>
    public Type HandlerType { get; }

    public ListenerTls Tls { get; }

    /// <summary>Caps, handshake bounds and PROXY protocol of this listener.</summary>
    public ConnectionAdmissionOptions AdmissionOptions { get; }

    /// <summary>The admission state (open connections, refusals); null before the server started.</summary>
    public ConnectionAdmission? Admission { get; private set; }

    /// <summary>Extra Kestrel setup run before the handler is attached (the TLS middleware of an implicit-TLS listener).</summary>
    public Action<ListenOptions>? Configure { get; }

    /// <summary>The end point actually bound (the real port when 0 was asked); null before the server started.</summary>
    public EndPoint? BoundEndPoint => _listenOptions?.EndPoint;

    internal void Apply(ListenOptions options)
    {
        _listenOptions = options;
        var feature = new PostinoListenerFeature(this);
        options.Use(next => connection =>
        {
            connection.Features.Set<IPostinoListenerFeature>(feature);
            return next(connection);
        });
        var services = options.ApplicationServices;
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger("Postino.Server.Admission")
            ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        Admission = new ConnectionAdmission(
            Name,
            AdmissionOptions,
            Tls == ListenerTls.Implicit,
            logger,
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            services.GetService<DescriptorBudget>());
        if (Tls == ListenerTls.Implicit)
        {
            // The TLS middleware comes from Configure: the handshake gate must wrap it.
            options.UseConnectionAdmission(Admission, Configure);
        }
        else
        {
            options.UseConnectionAdmission(Admission);
            Configure?.Invoke(options);
        }

        _useHandler(options);
    }
}
