using System.Security.Cryptography;
using System.Text;

namespace Postino.Fetch.Sasl;

/// <summary>
/// SCRAM-SHA-256 without channel binding (RFC 5802, RFC 7677). The password never crosses the wire, and the server
/// must prove it knows it: a wrong server signature fails the exchange.
/// </summary>
public sealed class ScramSha256Client : SaslClient
{
    private const int MinIterations = 4096;

    /// <summary>
    /// Most PBKDF2 iterations accepted from a server (RFC 7677 asks for at least 4096; real servers use 4096 to
    /// 100,000). A hostile <c>i=2147483647</c> would otherwise hold the client for hours.
    /// </summary>
    public const int MaxIterations = 1_000_000;

    /// <summary>How many iterations run between two looks at the cancellation token.</summary>
    private const int IterationsPerCancellationCheck = 1024;
    private readonly string _user;
    private readonly string _password;
    private readonly string _clientNonce;
    private string? _clientFirstBare;
    private byte[]? _expectedServerSignature;
    private bool _verified;

    public ScramSha256Client(string user, string password, string? clientNonce = null)
    {
        _user = user;
        _password = password;
        _clientNonce = clientNonce ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
    }

    public override string Mechanism => "SCRAM-SHA-256";

    public override bool ServerVerified => _verified;

    public override byte[]? InitialResponse()
    {
        _clientFirstBare = $"n={EscapeName(_user)},r={_clientNonce}";
        return Encoding.UTF8.GetBytes("n,," + _clientFirstBare);
    }

    public override byte[]? Respond(ReadOnlySpan<byte> challenge) => Respond(challenge, CancellationToken.None);

    public override byte[]? Respond(ReadOnlySpan<byte> challenge, CancellationToken cancellationToken)
    {
        if (_clientFirstBare is null)
        {
            // The server asked for the initial response with an empty challenge.
            return challenge.IsEmpty ? InitialResponse() : null;
        }

        var message = Encoding.UTF8.GetString(challenge);
        return _expectedServerSignature is null ? ClientFinal(message, cancellationToken) : VerifyServerFinal(message);
    }

    private byte[]? ClientFinal(string serverFirst, CancellationToken cancellationToken)
    {
        var fields = ParseFields(serverFirst);
        if (!fields.TryGetValue('r', out var nonce) || !nonce.StartsWith(_clientNonce, StringComparison.Ordinal) || nonce.Length == _clientNonce.Length
            || !fields.TryGetValue('s', out var saltText) || !fields.TryGetValue('i', out var iterationText)
            || !int.TryParse(iterationText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var iterations)
            || iterations is < MinIterations or > MaxIterations)
        {
            return null;
        }

        byte[] salt;
        try
        {
            salt = Convert.FromBase64String(saltText);
        }
        catch (FormatException)
        {
            return null;
        }

        var withoutProof = $"c=biws,r={nonce}";
        var authMessage = Encoding.UTF8.GetBytes($"{_clientFirstBare},{serverFirst},{withoutProof}");
        var salted = Pbkdf2(Encoding.UTF8.GetBytes(_password.Normalize(NormalizationForm.FormKC)), salt, iterations, cancellationToken);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var storedKey = SHA256.HashData(clientKey);
        var clientSignature = HMACSHA256.HashData(storedKey, authMessage);
        var proof = new byte[clientKey.Length];
        for (var i = 0; i < proof.Length; i++)
        {
            proof[i] = (byte)(clientKey[i] ^ clientSignature[i]);
        }

        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        _expectedServerSignature = HMACSHA256.HashData(serverKey, authMessage);
        return Encoding.UTF8.GetBytes($"{withoutProof},p={Convert.ToBase64String(proof)}");
    }

    private byte[]? VerifyServerFinal(string serverFinal)
    {
        var fields = ParseFields(serverFinal);
        if (_verified || !fields.TryGetValue('v', out var signatureText))
        {
            return null;
        }

        try
        {
            _verified = CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(signatureText), _expectedServerSignature);
        }
        catch (FormatException)
        {
            return null;
        }

        return _verified ? [] : null;
    }

    /// <summary>
    /// PBKDF2-HMAC-SHA-256 for one 32-octet block (RFC 8018 §5.2), written out because
    /// <see cref="Rfc2898DeriveBytes.Pbkdf2(byte[], byte[], int, HashAlgorithmName, int)"/> cannot be cancelled: SIGTERM
    /// and the connection's timeout must stop it.
    /// </summary>
    internal static byte[] Pbkdf2(byte[] password, byte[] salt, int iterations, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, password);
        Span<byte> block = stackalloc byte[SHA256.HashSizeInBytes];
        var result = new byte[SHA256.HashSizeInBytes];
        hmac.AppendData(salt);
        hmac.AppendData([0, 0, 0, 1]);
        hmac.GetHashAndReset(block);
        block.CopyTo(result);
        for (var i = 1; i < iterations; i++)
        {
            if (i % IterationsPerCancellationCheck == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            hmac.AppendData(block);
            hmac.GetHashAndReset(block);
            for (var j = 0; j < result.Length; j++)
            {
                result[j] ^= block[j];
            }
        }

        return result;
    }

    private static Dictionary<char, string> ParseFields(string message)
    {
        var fields = new Dictionary<char, string>();
        foreach (var part in message.Split(','))
        {
            if (part.Length >= 2 && part[1] == '=')
            {
                fields.TryAdd(part[0], part[2..]);
            }
        }

        return fields;
    }

    private static string EscapeName(string name) =>
        name.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal);
}
