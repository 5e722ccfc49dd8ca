namespace Postino.Server.Pop3;

/// <summary>
/// One CAPA line, computed per session (so it can depend on the state, TLS, the user). Register more with
/// <c>services.AddSingleton&lt;IPop3Capability&gt;(new Pop3Capability("STLS", 15, s =&gt; ...))</c>; a later
/// registration with the same <see cref="Name"/> replaces an earlier one.
/// </summary>
public interface IPop3Capability
{
    /// <summary>The capability keyword (TOP, SASL, ...), used to replace a capability.</summary>
    string Name { get; }

    /// <summary>Lines are listed by ascending order (core ones use 10, 20, ... 90).</summary>
    int Order { get; }

    /// <summary>The whole CAPA line (keyword and arguments), or null to leave it out for this session.</summary>
    string? GetLine(Pop3Session session);
}

/// <summary>A capability whose line comes from a delegate.</summary>
public sealed class Pop3Capability(string name, int order, Func<Pop3Session, string?> line) : IPop3Capability
{
    /// <summary>A capability that is always listed as its bare keyword.</summary>
    public Pop3Capability(string name, int order)
        : this(name, order, _ => name)
    {
    }

    public string Name { get; } = name;

    public int Order { get; } = order;

    public string? GetLine(Pop3Session session) => line(session);
}
