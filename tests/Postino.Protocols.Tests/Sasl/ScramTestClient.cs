using System.Security.Cryptography;
using System.Text;

namespace Postino.Protocols.Tests.Sasl;

/// <summary>A minimal SCRAM-SHA-256 client written from RFC 5802's formulas, to drive the server in tests.</summary>
internal sealed class ScramTestClient(string user, string password, string gs2Header = "n,,", byte[]? channelBinding = null)
{
    private readonly string _clientNonce = "rOprNGfwEbeRWgbNEkqO";
    private string? _clientFirstBare;
    private byte[]? _serverSignature;

    public string Gs2Header { get; } = gs2Header;

    public byte[] ClientFirst()
    {
        _clientFirstBare = $"n={user.Replace("=", "=3D").Replace(",", "=2C")},r={_clientNonce}";
        return Encoding.UTF8.GetBytes(Gs2Header + _clientFirstBare);
    }

    public byte[] ClientFinal(byte[] serverFirstBytes, string? nonceOverride = null, bool corruptProof = false)
    {
        var serverFirst = Encoding.UTF8.GetString(serverFirstBytes);
        var attributes = serverFirst.Split(',').ToDictionary(a => a[0], a => a[2..]);
        var salt = Convert.FromBase64String(attributes['s']);
        var iterations = int.Parse(attributes['i'], System.Globalization.CultureInfo.InvariantCulture);
        var binding = Convert.ToBase64String([.. Encoding.UTF8.GetBytes(Gs2Header), .. channelBinding ?? []]);
        var withoutProof = $"c={binding},r={nonceOverride ?? attributes['r']}";

        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var storedKey = SHA256.HashData(clientKey);
        var authMessage = Encoding.UTF8.GetBytes(_clientFirstBare + "," + serverFirst + "," + withoutProof);
        var clientSignature = HMACSHA256.HashData(storedKey, authMessage);
        var proof = clientKey.Zip(clientSignature, (a, b) => (byte)(a ^ b)).ToArray();
        if (corruptProof)
        {
            proof[0] ^= 1;
        }

        _serverSignature = HMACSHA256.HashData(HMACSHA256.HashData(salted, "Server Key"u8), authMessage);
        return Encoding.UTF8.GetBytes(withoutProof + ",p=" + Convert.ToBase64String(proof));
    }

    public bool VerifiesServerFinal(byte[] serverFinal) =>
        Encoding.ASCII.GetString(serverFinal) == "v=" + Convert.ToBase64String(_serverSignature!);
}
