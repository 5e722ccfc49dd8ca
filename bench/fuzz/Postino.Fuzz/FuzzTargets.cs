using Postino.Fuzz.Targets;

namespace Postino.Fuzz;

/// <summary>
/// Every parser that reads bytes from outside, by target name. A target throws only on a bug: whatever the input,
/// the code under test must answer with an error value or its documented exception, which the target catches.
/// </summary>
internal static class FuzzTargets
{
    public static IReadOnlyDictionary<string, Action<byte[]>> All { get; } = new Dictionary<string, Action<byte[]>>(StringComparer.Ordinal)
    {
        ["pop3-command"] = Pop3CommandTarget.Run,
        ["pop2-command"] = Pop2CommandTarget.Run,
        ["smtp-command"] = SmtpCommandTarget.Run,
        ["smtp-data"] = SmtpDataTarget.Run,
        ["sasl"] = SaslTarget.Run,
        ["sasl-base64"] = SaslBase64Target.Run,
        ["maildir-name"] = MaildirNameTarget.Run,
        ["maildir-index"] = MaildirIndexTarget.Run,
        ["users-file"] = UsersFileTarget.Run,
        ["fetch-pop3"] = FetchPop3Target.Run,
        ["fetch-pop2"] = FetchPop2Target.Run,
        ["proxy-header"] = ProxyHeaderTarget.Run,
        ["dovecot-uidlist"] = DovecotUidListTarget.Run,
        ["self-test"] = SelfTestTarget.Run,
    };
}
