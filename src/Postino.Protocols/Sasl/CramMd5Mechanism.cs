using System.Security.Cryptography;
using System.Text;

namespace Postino.Protocols.Sasl;

/// <summary>
/// CRAM-MD5 (RFC 2195): the server sends a unique "&lt;...@host&gt;" challenge, the client answers
/// "user SP hex(HMAC-MD5(secret, challenge))". Needs the user's plaintext secret.
/// </summary>
public sealed class CramMd5Mechanism : SaslServerMechanism
{
    private readonly ICramMd5SecretSource _secrets;
    private readonly string _hostName;
    private readonly Func<string, string> _challengeFactory;
    private byte[]? _challenge;

    /// <param name="secrets">Where the plaintext secrets come from.</param>
    /// <param name="hostName">The host name put in the challenge.</param>
    /// <param name="challengeFactory">Builds the challenge from the host name (tests pin RFC 2195's); default random.</param>
    public CramMd5Mechanism(ICramMd5SecretSource secrets, string hostName, Func<string, string>? challengeFactory = null)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentException.ThrowIfNullOrEmpty(hostName);
        _secrets = secrets;
        _hostName = hostName;
        _challengeFactory = challengeFactory ?? RandomChallenge;
    }

    public override string Name => SaslMechanismNames.CramMd5;

    protected override ValueTask<SaslStep> OnStartAsync(byte[]? initialResponse, CancellationToken cancellationToken)
    {
        // CRAM-MD5 is server-first: an initial response can't be an answer to a challenge not yet sent.
        if (initialResponse is not null)
        {
            return ValueTask.FromResult<SaslStep>(Fail(SaslFailureReason.MalformedResponse));
        }

        _challenge = Encoding.ASCII.GetBytes(_challengeFactory(_hostName));
        return ValueTask.FromResult<SaslStep>(new SaslStep.Challenge(_challenge));
    }

    protected override async ValueTask<SaslStep> OnStepAsync(byte[] response, CancellationToken cancellationToken)
    {
        var space = Array.LastIndexOf(response, (byte)' ');
        if (space <= 0 || !SaslText.TryDecode(response.AsSpan(0, space), out var user)
            || !TryParseDigest(response.AsSpan(space + 1), out var digest))
        {
            return Fail(SaslFailureReason.MalformedResponse);
        }

        var secret = await _secrets.FindCramMd5SecretAsync(user, cancellationToken);
        if (secret is null)
        {
            return Fail(SaslFailureReason.BadCredentials, user);
        }

#pragma warning disable CA5351 // MD5 is what RFC 2195 specifies; the mechanism is offered only for {PLAIN} users.
        var expected = HMACMD5.HashData(Encoding.UTF8.GetBytes(secret.Secret), _challenge!);
#pragma warning restore CA5351
        return CryptographicOperations.FixedTimeEquals(expected, digest)
            ? new SaslStep.Success(secret.User, null)
            : Fail(SaslFailureReason.BadCredentials, user);
    }

    private static bool TryParseDigest(ReadOnlySpan<byte> hex, out byte[] digest)
    {
        digest = [];
        if (hex.Length != 32)
        {
            return false;
        }

        try
        {
            digest = Convert.FromHexString(Encoding.ASCII.GetString(hex));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string RandomChallenge(string hostName) =>
        $"<{RandomNumberGenerator.GetInt32(int.MaxValue)}.{RandomNumberGenerator.GetInt32(int.MaxValue)}@{hostName}>";
}
