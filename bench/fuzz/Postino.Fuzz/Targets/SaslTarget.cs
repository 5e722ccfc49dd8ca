using System.Text;
using Postino.Protocols.Sasl;

namespace Postino.Fuzz.Targets;

/// <summary>
/// The server side of PLAIN, LOGIN, CRAM-MD5 and SCRAM-SHA-256 (first and final messages), driven through
/// <see cref="SaslExchange"/> as the POP3 server does. Input: one byte choosing the mechanism and options, then the
/// client's lines separated by LF; the harness base64-encodes them (so the fuzzer works on the decoded messages)
/// unless the raw bit asks to hand them over as they are.
/// </summary>
internal static class SaslTarget
{
    /// <summary>The server nonce SCRAM uses here, fixed so that seeds can carry a complete, valid exchange.</summary>
    public const string ServerNonce = "fuzzServerNonce";

    private const int RawLines = 0x80;
    private const int NoInitialResponse = 0x40;

    private static readonly Credentials Users = new();

    public static void Run(byte[] input)
    {
        if (input.Length == 0)
        {
            return;
        }

        var mechanism = Create(input[0] & 0x07);
        var raw = (input[0] & RawLines) != 0;
        var lines = Encoding.Latin1.GetString(input, 1, input.Length - 1).Split('\n');
        string Line(int i) => raw ? lines[i] : Convert.ToBase64String(Encoding.Latin1.GetBytes(lines[i]));

        var exchange = new SaslExchange(mechanism);
        var next = 0;
        string? initial = (input[0] & NoInitialResponse) != 0 ? null : Line(next++);
        var reply = exchange.StartAsync(initial, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        while (reply is SaslExchangeReply.Continue && next < lines.Length)
        {
            reply = exchange.ContinueAsync(Line(next++), CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }

        if (reply is SaslExchangeReply.Succeeded { User: not "user" and not "tim" } success)
        {
            throw new InvalidOperationException($"A SASL exchange logged in as an unknown user: {success.User}");
        }
    }

    private static ISaslServerMechanism Create(int choice) => choice switch
    {
        0 => new PlainMechanism(Users),
        1 => new LoginMechanism(Users),
        2 => new CramMd5Mechanism(Users, "fuzz.example.org", _ => "<1896.697170952@fuzz.example.org>"),
        3 => new ScramSha256Mechanism(Users, plus: false, new ScramOptions { NonceFactory = () => ServerNonce }),
        _ => new ScramSha256Mechanism(Users, plus: true,
            new ScramOptions { NonceFactory = () => ServerNonce, TlsServerEndPoint = new byte[32] }),
    };

    /// <summary>Two users: <c>tim</c>/<c>tanstaaftanstaaf</c> (RFC 2195) and <c>user</c>/<c>pencil</c> (RFC 7677).</summary>
    private sealed class Credentials : ISaslPasswordVerifier, ICramMd5SecretSource, IScramCredentialSource
    {
        private static readonly ScramCredential Scram =
            ScramCredential.Derive("user", "pencil", Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);

        public ValueTask<SaslPasswordVerdict> VerifyAsync(string user, string password, CancellationToken cancellationToken) =>
            ValueTask.FromResult((user, password) is ("tim", "tanstaaftanstaaf") or ("user", "pencil")
                ? new SaslPasswordVerdict(SaslPasswordOutcome.Success, user)
                : new SaslPasswordVerdict(SaslPasswordOutcome.BadCredentials));

        public ValueTask<CramMd5Secret?> FindCramMd5SecretAsync(string user, CancellationToken cancellationToken) =>
            ValueTask.FromResult(user == "tim" ? new CramMd5Secret("tim", "tanstaaftanstaaf") : null);

        public ValueTask<ScramCredential?> FindScramSha256CredentialAsync(string user, CancellationToken cancellationToken) =>
            ValueTask.FromResult(user == "user" ? Scram : null);
    }
}
