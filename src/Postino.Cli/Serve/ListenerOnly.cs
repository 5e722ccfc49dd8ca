namespace Postino.Cli.Serve;

/// <summary>A section that only names where a listener listens (and, through the allowed extra keys, its certificate).</summary>
internal sealed class ListenerOnly
{
    public string? Listen { get; set; }
}
