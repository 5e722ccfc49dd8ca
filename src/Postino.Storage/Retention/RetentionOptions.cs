namespace Postino.Storage.Retention;

/// <summary>Retention from the configuration: the server default and overrides per mail domain.</summary>
public sealed record RetentionOptions
{
    /// <summary>The server default (<c>client</c> unless configured).</summary>
    public EffectiveRetention Default { get; init; } = EffectiveRetention.Client;

    /// <summary>Per domain (the part of the user name after '@', compared without case): replaces the default.</summary>
    public IReadOnlyDictionary<string, EffectiveRetention> Domains { get; init; } =
        new Dictionary<string, EffectiveRetention>(StringComparer.OrdinalIgnoreCase);
}
