using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Postino.Server.Hosting;

/// <summary>One listener: a name, where it listens, its TLS mode and the connection handler of its protocol.</summary>
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
        Action<ListenOptions> useHandler)
    {
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

    /// <summary>Extra Kestrel setup run before the handler is attached (TLS middleware, connection limits).</summary>
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
        Configure?.Invoke(options);
        _useHandler(options);
    }
}
