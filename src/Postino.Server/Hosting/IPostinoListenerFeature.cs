namespace Postino.Server.Hosting;

/// <summary>A connection feature telling which listener accepted the connection.</summary>
public interface IPostinoListenerFeature
{
    PostinoListener Listener { get; }
}

internal sealed record PostinoListenerFeature(PostinoListener Listener) : IPostinoListenerFeature;
