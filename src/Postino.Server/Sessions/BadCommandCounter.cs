namespace Postino.Server.Sessions;

/// <summary>
/// The bad-command count of one line session, the same rule for every protocol: a command refused for the client's
/// fault (syntax, sequence, failed login, unknown recipient) counts, and once a limit is reached the session says so
/// and closes. POP3 also has a lower limit before login; POP2 (RFC 937: every error closes) has a limit of one.
/// </summary>
public sealed class BadCommandCounter(int limit, int limitBeforeLogin = int.MaxValue)
{
    /// <summary>Bad commands so far.</summary>
    public int Count { get; private set; }

    /// <summary>Bad commands while not logged in.</summary>
    public int CountBeforeLogin { get; private set; }

    /// <summary>Counts one bad command.</summary>
    public void Add(bool beforeLogin = false)
    {
        Count++;
        if (beforeLogin)
        {
            CountBeforeLogin++;
        }
    }

    /// <summary>True once the session must close: the limit, or (while not logged in) the limit before login.</summary>
    public bool LimitReached(bool beforeLogin = false) =>
        Count >= limit || (beforeLogin && CountBeforeLogin >= limitBeforeLogin);

    /// <summary>Counts one bad command and says whether the session must now close.</summary>
    public bool AddAndCheck(bool beforeLogin = false)
    {
        Add(beforeLogin);
        return LimitReached(beforeLogin);
    }
}
