namespace Postino.Server.Pop3;

/// <summary>The CAPA list: every registered <see cref="IPop3Capability"/>, the last one of each name, in order.</summary>
public sealed class Pop3Capabilities
{
    private readonly IPop3Capability[] _capabilities;

    public Pop3Capabilities(IEnumerable<IPop3Capability> capabilities)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        var byName = new Dictionary<string, (int Position, IPop3Capability Capability)>(StringComparer.OrdinalIgnoreCase);
        var position = 0;
        foreach (var capability in capabilities)
        {
            byName[capability.Name] = (position++, capability);
        }

        _capabilities = [.. byName.Values.OrderBy(c => c.Capability.Order).ThenBy(c => c.Position).Select(c => c.Capability)];
    }

    /// <summary>The CAPA lines for this session, in order.</summary>
    public IEnumerable<string> GetLines(Pop3Session session)
    {
        foreach (var capability in _capabilities)
        {
            if (capability.GetLine(session) is { Length: > 0 } line)
            {
                yield return line;
            }
        }
    }
}
