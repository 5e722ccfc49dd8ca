using Postino.Protocols.Sasl;

namespace Postino.Protocols.Tests.Sasl;

/// <summary>
/// Steps and replies without the password verifier's verdict, for tests about the exchange itself; the verdict that
/// PLAIN and LOGIN carry back is asserted on its own (<see cref="PlainMechanismTests"/>).
/// </summary>
internal static class VerdictFree
{
    public static SaslStep Of(SaslStep step) => step switch
    {
        SaslStep.Success success => success with { Verdict = null },
        SaslStep.Failure failure => failure with { Verdict = null },
        _ => step,
    };

    public static SaslExchangeReply Of(SaslExchangeReply reply) => reply switch
    {
        SaslExchangeReply.Succeeded succeeded => succeeded with { Verdict = null },
        SaslExchangeReply.Failed failed => failed with { Verdict = null },
        _ => reply,
    };
}
