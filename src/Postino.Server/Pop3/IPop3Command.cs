using Postino.Protocols.Pop3;

namespace Postino.Server.Pop3;

/// <summary>
/// One POP3 command (a stateless singleton: per-session state lives on <see cref="Pop3Session"/>). Register more with
/// <c>services.AddSingleton&lt;IPop3Command, MyCommand&gt;()</c>; a later registration of the same verb replaces an
/// earlier one in the states they share.
/// </summary>
public interface IPop3Command
{
    /// <summary>The keyword, upper case.</summary>
    string Verb { get; }

    /// <summary>The states the command is allowed in.</summary>
    Pop3States AllowedIn { get; }

    /// <summary>False hides the command (it answers like an unknown one): STLS without a certificate, APOP when off.</summary>
    bool IsAvailable(Pop3Session session) => true;

    /// <summary>Runs the command and writes its reply (not flushed: the session flushes once per batch).</summary>
    ValueTask ExecuteAsync(Pop3Session session, Pop3Command command, CancellationToken cancellationToken);
}
