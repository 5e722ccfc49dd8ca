using System.Security.Cryptography;
using System.Text;

namespace Postino.Protocols.Sasl;

/// <summary>
/// SCRAM-SHA-256 and SCRAM-SHA-256-PLUS (RFC 5802, RFC 7677) with tls-server-end-point channel binding (RFC 5929).
/// The server keeps only StoredKey and ServerKey. Unknown users get a made-up salt that is stable per name, so the
/// exchange looks the same until the proof fails.
/// </summary>
public sealed class ScramSha256Mechanism : SaslServerMechanism
{
    private const string ChannelBindingType = "tls-server-end-point";

    // Stable for the process: the made-up salt of an unknown user must not change between attempts.
    private static readonly byte[] UnknownUserSaltKey = RandomNumberGenerator.GetBytes(32);

    private readonly IScramCredentialSource _credentials;
    private readonly ScramOptions _options;
    private readonly bool _plus;

    private string? _gs2Header;
    private string? _clientFirstBare;
    private string? _serverFirst;
    private string? _nonce;
    private string? _user;
    private string? _authzid;
    private ScramCredential? _credential;

    /// <param name="credentials">Where the stored keys come from.</param>
    /// <param name="plus">True for SCRAM-SHA-256-PLUS (requires <see cref="ScramOptions.TlsServerEndPoint"/>).</param>
    /// <param name="options">Channel binding, authorization, nonce source.</param>
    public ScramSha256Mechanism(IScramCredentialSource credentials, bool plus = false, ScramOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        _credentials = credentials;
        _options = options ?? new ScramOptions();
        _plus = plus;
        if (plus && _options.TlsServerEndPoint is null)
        {
            throw new ArgumentException("SCRAM-SHA-256-PLUS needs the connection's channel-binding data.", nameof(options));
        }
    }

    public override string Name => _plus ? SaslMechanismNames.ScramSha256Plus : SaslMechanismNames.ScramSha256;

    protected override async ValueTask<SaslStep> OnStartAsync(byte[]? initialResponse, CancellationToken cancellationToken)
    {
        // SCRAM is client-first: without an initial response the server sends an empty challenge.
        if (initialResponse is null || initialResponse.Length == 0)
        {
            return new SaslStep.Challenge([]);
        }

        return await OnClientFirstAsync(initialResponse, cancellationToken);
    }

    protected override ValueTask<SaslStep> OnStepAsync(byte[] response, CancellationToken cancellationToken) =>
        _serverFirst is null
            ? OnClientFirstAsync(response, cancellationToken)
            : ValueTask.FromResult(OnClientFinal(response));

    private async ValueTask<SaslStep> OnClientFirstAsync(byte[] message, CancellationToken cancellationToken)
    {
        if (!SaslText.TryDecode(message, out var text))
        {
            return Fail(SaslFailureReason.MalformedResponse);
        }

        var parts = text.Split(',');
        if (parts.Length < 4)
        {
            return Fail(SaslFailureReason.MalformedResponse);
        }

        var bindingCheck = CheckBindingFlag(parts[0]);
        if (bindingCheck is not null)
        {
            return bindingCheck;
        }

        if (parts[1].Length > 0)
        {
            if (!ScramAttributes.TryGet(parts[1], 'a', out var encodedAuthzid)
                || !ScramAttributes.TryDecodeSaslName(encodedAuthzid, out var authzid))
            {
                return Fail(SaslFailureReason.MalformedResponse);
            }

            _authzid = authzid;
        }

        // A mandatory extension ("m=") we don't know must fail the exchange (RFC 5802 section 5.1).
        if (!ScramAttributes.TryGet(parts[2], 'n', out var encodedUser)
            || !ScramAttributes.TryDecodeSaslName(encodedUser, out var user)
            || !ScramAttributes.TryGet(parts[3], 'r', out var clientNonce)
            || !ScramAttributes.IsValidNonce(clientNonce))
        {
            return Fail(SaslFailureReason.MalformedResponse);
        }

        _user = user;
        _gs2Header = parts[0] + "," + parts[1] + ",";
        _clientFirstBare = text[_gs2Header.Length..];
        _credential = await _credentials.FindScramSha256CredentialAsync(user, cancellationToken) ?? UnknownUser(user);

        var serverNonce = _options.NonceFactory?.Invoke() ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        if (!ScramAttributes.IsValidNonce(serverNonce))
        {
            throw new InvalidOperationException("The SCRAM nonce factory produced an invalid nonce.");
        }

        _nonce = clientNonce + serverNonce;
        _serverFirst = $"r={_nonce},s={Convert.ToBase64String(_credential.Salt)},i={_credential.Iterations}";
        return new SaslStep.Challenge(Encoding.UTF8.GetBytes(_serverFirst));
    }

    private SaslStep.Failure? CheckBindingFlag(string flag)
    {
        if (flag == "n")
        {
            return _plus ? Fail(SaslFailureReason.ChannelBindingMismatch) : null;
        }

        if (flag == "y")
        {
            // The client could bind but believes we can't: if we can, someone removed -PLUS from our list.
            return _plus || _options.TlsServerEndPoint is not null ? Fail(SaslFailureReason.ChannelBindingMismatch) : null;
        }

        if (ScramAttributes.TryGet(flag, 'p', out var type))
        {
            return _plus && type == ChannelBindingType ? null : Fail(SaslFailureReason.ChannelBindingMismatch);
        }

        return Fail(SaslFailureReason.MalformedResponse);
    }

    private SaslStep OnClientFinal(byte[] message)
    {
        if (!SaslText.TryDecode(message, out var text))
        {
            return Fail(SaslFailureReason.MalformedResponse, _user);
        }

        var lastComma = text.LastIndexOf(',');
        var parts = text.Split(',');
        if (lastComma < 0 || parts.Length < 3
            || !ScramAttributes.TryGet(parts[0], 'c', out var bindingText)
            || !ScramAttributes.TryGet(parts[1], 'r', out var nonce)
            || !ScramAttributes.TryGet(parts[^1], 'p', out var proofText)
            || ScramAttributes.DecodeBase64(bindingText) is not { } binding
            || ScramAttributes.DecodeBase64(proofText) is not { Length: SHA256.HashSizeInBytes } proof)
        {
            return Fail(SaslFailureReason.MalformedResponse, _user);
        }

        if (!CryptographicOperations.FixedTimeEquals(binding, ExpectedBinding()))
        {
            return Fail(SaslFailureReason.ChannelBindingMismatch, _user);
        }

        if (!string.Equals(nonce, _nonce, StringComparison.Ordinal))
        {
            return Fail(SaslFailureReason.MalformedResponse, _user);
        }

        var credential = _credential!;
        var authMessage = Encoding.UTF8.GetBytes(_clientFirstBare + "," + _serverFirst + "," + text[..lastComma]);
        var clientSignature = HMACSHA256.HashData(credential.StoredKey, authMessage);
        var clientKey = new byte[proof.Length];
        for (var i = 0; i < proof.Length; i++)
        {
            clientKey[i] = (byte)(proof[i] ^ clientSignature[i]);
        }

        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(clientKey), credential.StoredKey))
        {
            return Fail(SaslFailureReason.BadCredentials, _user);
        }

        var user = SaslAuthorization.Resolve(credential.User, _user!, _authzid, _options.Authorization);
        if (user is null)
        {
            return Fail(SaslFailureReason.AuthorizationDenied, _user);
        }

        var serverSignature = HMACSHA256.HashData(credential.ServerKey, authMessage);
        return new SaslStep.Success(user, Encoding.ASCII.GetBytes("v=" + Convert.ToBase64String(serverSignature)));
    }

    private byte[] ExpectedBinding()
    {
        var header = Encoding.UTF8.GetBytes(_gs2Header!);
        return _plus ? [.. header, .. _options.TlsServerEndPoint!] : header;
    }

    private ScramCredential UnknownUser(string user)
    {
        var salt = HMACSHA256.HashData(UnknownUserSaltKey, Encoding.UTF8.GetBytes(user))[..16];
        return new ScramCredential(
            user, _options.UnknownUserIterations, salt, RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
    }
}
