namespace Postino.Server.Pop3;

/// <summary>The state -> verb -> command table, built once from every registered <see cref="IPop3Command"/>.</summary>
public sealed class Pop3CommandTable
{
    private readonly Dictionary<string, List<IPop3Command>> _byVerb = new(StringComparer.Ordinal);

    public Pop3CommandTable(IEnumerable<IPop3Command> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        foreach (var command in commands)
        {
            if (!_byVerb.TryGetValue(command.Verb, out var list))
            {
                _byVerb[command.Verb] = list = [];
            }

            // Last registration wins: it goes first in the lookup order.
            list.Insert(0, command);
        }
    }

    /// <summary>Every verb with at least one command.</summary>
    public IEnumerable<string> Verbs => _byVerb.Keys;

    /// <summary>Finds the command for a verb in a state; <paramref name="knownVerb"/> tells a wrong state from an unknown verb.</summary>
    public IPop3Command? Find(string verb, Pop3Session session, out bool knownVerb)
    {
        ArgumentNullException.ThrowIfNull(session);
        knownVerb = false;
        if (!_byVerb.TryGetValue(verb, out var candidates))
        {
            return null;
        }

        foreach (var command in candidates)
        {
            if (!command.IsAvailable(session))
            {
                continue;
            }

            knownVerb = true;
            if ((command.AllowedIn & session.State) != 0)
            {
                return command;
            }
        }

        return null;
    }
}
