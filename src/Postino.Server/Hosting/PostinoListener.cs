using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Postino.Server.Hosting;

/// <summary>
/// One listener: a name, where it listens, its TLS mode, how it admits connections and the connection handler of its
/// protocol. Every connection goes through its <see cref="ConnectionAdmission"/> before anything else, TLS included.
/// </summary>
public sealed class PostinoListener
{
    private readonly Action<IConnectionBuilder> _useHandler;

    internal PostinoListener(
        string name,
        EndPoint endPoint,
        Type handlerType,
        ListenerTls tls,
        Action<IConnectionBuilder>? configure,
        Action<IConnectionBuilder> useHandler,
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

    /// <summary>Whether its connections start on the thread that accepted them (<see cref="IStartsOnEventThread"/>).</summary>
    public bool StartsOnEventThread => typeof(IStartsOnEventThread).IsAssignableFrom(HandlerType);

    /// <summary>Caps, handshake bounds and PROXY protocol of this listener.</summary>
    public ConnectionAdmissionOptions AdmissionOptions { get; }

    /// <summary>The admission state (open connections, refusals); null before the server started.</summary>
    public ConnectionAdmission? Admission { get; private set; }

    /// <summary>Extra middleware added before the handler (the TLS layer of an implicit-TLS listener).</summary>
    public Action<IConnectionBuilder>? Configure { get; }

    /// <summary>The end point actually bound (the real port when 0 was asked); null before the server started.</summary>
    public EndPoint? BoundEndPoint { get; private set; }

    internal void Bound(EndPoint endPoint) => BoundEndPoint = endPoint;

    /// <summary>Builds the listener's pipeline: the listener feature, admission (and TLS), then the handler.</summary>
    internal void Apply(IConnectionBuilder options)
    {
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
