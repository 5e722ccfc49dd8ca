using Postino.Protocols.Smtp;

namespace Postino.Server.Smtp;

/// <summary>
/// Which commands each state accepts, and the reply (a bad command: 503 5.5.1) when it does not; like POP2's
/// <c>Pop2StateTable</c>. Every pair not listed is allowed; the handlers then check arguments and outcomes.
/// Verbs that take no argument are refused for one (501) before their state is looked at, as they always were.
/// </summary>
public static class MailTransferStateTable
{
    private static readonly Dictionary<(MailTransferState State, SmtpVerb Verb), SmtpReply> Refusals = new()
    {
        [(MailTransferState.Connected, SmtpVerb.Mail)] = Replies.HelloFirst,
        [(MailTransferState.Connected, SmtpVerb.Rcpt)] = Replies.MailFirst,
        [(MailTransferState.Connected, SmtpVerb.Data)] = Replies.MailFirst,
        [(MailTransferState.Greeted, SmtpVerb.Rcpt)] = Replies.MailFirst,
        [(MailTransferState.Greeted, SmtpVerb.Data)] = Replies.MailFirst,
        [(MailTransferState.Transaction, SmtpVerb.Mail)] = Replies.NestedMail,
    };

    private static readonly HashSet<SmtpVerb> WithoutArgument = [SmtpVerb.Data, SmtpVerb.Rset, SmtpVerb.Quit, SmtpVerb.StartTls];

    /// <summary>True when <paramref name="verb"/> is allowed in <paramref name="state"/>.</summary>
    public static bool Allows(MailTransferState state, SmtpVerb verb) => !Refusals.ContainsKey((state, verb));

    /// <summary>The reply refusing <paramref name="verb"/> in <paramref name="state"/>, or null when it is allowed.</summary>
    internal static SmtpReply? Refusal(MailTransferState state, SmtpVerb verb) =>
        Refusals.TryGetValue((state, verb), out var reply) ? reply : null;

    /// <summary>True for the verbs that take no argument (DATA, RSET, QUIT, STARTTLS).</summary>
    public static bool TakesNoArgument(SmtpVerb verb) => WithoutArgument.Contains(verb);
}
