namespace Postino.Protocols.Sasl;

/// <summary>
/// LOGIN (draft-murchison-sasl-login): challenges "Username:" then "Password:". An initial response, when present, is
/// taken as the user name, as Outlook and others send it.
/// </summary>
public sealed class LoginMechanism : SaslServerMechanism
{
    private static readonly byte[] UserPrompt = "Username:"u8.ToArray();
    private static readonly byte[] PasswordPrompt = "Password:"u8.ToArray();

    private readonly ISaslPasswordVerifier _verifier;
    private string? _user;

    public LoginMechanism(ISaslPasswordVerifier verifier)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        _verifier = verifier;
    }

    public override string Name => SaslMechanismNames.Login;

    protected override ValueTask<SaslStep> OnStartAsync(byte[]? initialResponse, CancellationToken cancellationToken)
    {
        if (initialResponse is null || initialResponse.Length == 0)
        {
            return ValueTask.FromResult<SaslStep>(new SaslStep.Challenge(UserPrompt));
        }

        return ValueTask.FromResult(AcceptUser(initialResponse));
    }

    protected override async ValueTask<SaslStep> OnStepAsync(byte[] response, CancellationToken cancellationToken)
    {
        if (_user is null)
        {
            return AcceptUser(response);
        }

        if (response.Length == 0 || !SaslText.TryDecode(response, out var password))
        {
            return Fail(SaslFailureReason.MalformedResponse, _user);
        }

        var verdict = await _verifier.VerifyAsync(_user, password, cancellationToken);
        return PasswordVerdicts.ToStep(verdict, _user, null, SaslAuthorization.SameUserOnly);
    }

    private SaslStep AcceptUser(byte[] response)
    {
        if (response.Length == 0 || response.AsSpan().Contains((byte)0) || !SaslText.TryDecode(response, out var user))
        {
            return Fail(SaslFailureReason.MalformedResponse);
        }

        _user = user;
        return new SaslStep.Challenge(PasswordPrompt);
    }
}
