namespace Postino.Protocols.Sasl;

/// <summary>Turns a password verifier's verdict into the mechanism's last step (PLAIN and LOGIN).</summary>
internal static class PasswordVerdicts
{
    public static SaslStep ToStep(SaslPasswordVerdict verdict, string givenUser, string? authzid, SaslAuthorizationPolicy policy)
    {
        switch (verdict.Outcome)
        {
            case SaslPasswordOutcome.Success:
                var canonical = verdict.User ?? givenUser;
                var user = SaslAuthorization.Resolve(canonical, givenUser, authzid, policy);
                return user is null
                    ? new SaslStep.Failure(SaslFailureReason.AuthorizationDenied, givenUser)
                    : new SaslStep.Success(user, null) { Verdict = verdict };
            case SaslPasswordOutcome.TooSoon:
                return new SaslStep.Failure(SaslFailureReason.TooSoon, givenUser) { Verdict = verdict };
            case SaslPasswordOutcome.TemporaryFailure:
                return new SaslStep.Failure(SaslFailureReason.TemporaryFailure, givenUser);
            default:
                return new SaslStep.Failure(SaslFailureReason.BadCredentials, givenUser);
        }
    }
}
