namespace Postino.Protocols.Pop2;

/// <summary>
/// One parsed POP2 command. Arguments are already unescaped. A class rather than a record so that the generated
/// <c>ToString</c> can never put the password in a log.
/// </summary>
public sealed class Pop2Command
{
    private Pop2Command(Pop2Verb verb)
    {
        Verb = verb;
    }

    public Pop2Verb Verb { get; }

    /// <summary>HELO: the user name.</summary>
    public string? User { get; private init; }

    /// <summary>HELO: the password (the rest of the line after the user name).</summary>
    public string? Password { get; private init; }

    /// <summary>FOLD: the mailbox name.</summary>
    public string? Mailbox { get; private init; }

    /// <summary>READ n: the message number; null for a bare READ. Saturates at <see cref="int.MaxValue"/>.</summary>
    public int? Msn { get; private init; }

    public static Pop2Command Helo(string user, string password) => new(Pop2Verb.Helo) { User = user, Password = password };

    public static Pop2Command Fold(string mailbox) => new(Pop2Verb.Fold) { Mailbox = mailbox };

    public static Pop2Command Read(int? msn) => new(Pop2Verb.Read) { Msn = msn };

    /// <summary>A command that takes no argument (RETR, ACKS, ACKD, NACK, QUIT).</summary>
    public static Pop2Command Bare(Pop2Verb verb) =>
        verb is Pop2Verb.Helo or Pop2Verb.Fold or Pop2Verb.Read
            ? throw new ArgumentException($"{verb} takes arguments", nameof(verb))
            : new Pop2Command(verb);

    public override string ToString() => Verb switch
    {
        Pop2Verb.Helo => $"HELO {User} ********",
        Pop2Verb.Fold => $"FOLD {Mailbox}",
        Pop2Verb.Read => Msn is { } msn ? $"READ {msn}" : "READ",
        _ => Verb.ToString().ToUpperInvariant(),
    };
}
