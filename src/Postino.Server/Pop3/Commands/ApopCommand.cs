using System.Security.Cryptography;
using System.Text;
using Postino.Protocols.Pop3;
using Postino.Server.Auth;

namespace Postino.Server.Pop3.Commands;

/// <summary>
/// APOP name digest (RFC 1939): MD5 of the greeting's timestamp and the user's plaintext secret. Offered only when
/// enabled and a user directory is there; only users whose secret is stored as {PLAIN} can use it. Failures and
/// successes go through the shared login policy (penalty, LOGIN-DELAY) when one is registered.
/// </summary>
public sealed class ApopCommand : IPop3Command
{
    private static readonly string[] PlaintextSchemes = ["{PLAIN}", "{CLEAR}", "{CLEARTEXT}"];

    public string Verb => "APOP";

    public Pop3States AllowedIn => Pop3States.Authorization;

    public bool IsAvailable(Pop3Session session) => session.ApopTimestamp is not null;

    public async ValueTask ExecuteAsync(Pop3Session session, Pop3Command command, CancellationToken cancellationToken)
    {
        if (!session.Services.LoginPolicy.AllowsPlaintextLogin(session))
        {
            session.Reject(Pop3ResponseCode.Auth, Pop3TextKey.PlaintextLoginDisabled);
            return;
        }

        if (command.Args.Count != 2)
        {
            MessageNumbers.Reject(session, command.Args.Count < 2 ? Pop3ArgumentError.Missing : Pop3ArgumentError.TooMany);
            return;
        }

        var services = session.Services;
        var remote = session.Connection.RemoteAddress;
        var record = await services.UserDirectory!.FindAsync(command.Args[0], cancellationToken);
        var secret = record is null ? null
            : services.PlainSecrets is { } lookup ? await lookup.FindPlainSecretAsync(record.Name, cancellationToken)
            : PlaintextSecret(record.Password);
        if (record is null || secret is null || !DigestMatches(session.ApopTimestamp!, secret, command.Args[1]))
        {
            if (services.SharedLoginPolicy is { } penalties)
            {
                await penalties.RejectAsync(remote, command.Args[0], command.Args[1], cancellationToken);
            }

            session.Reject(Pop3ResponseCode.Auth, Pop3TextKey.AuthenticationFailed);
            return;
        }

        var result = services.SharedLoginPolicy?.Accept(remote, record)
            ?? new AuthenticationResult(AuthenticationOutcome.Success, record.Name);
        await LoginResults.ApplyAsync(session, result, record.Name, cancellationToken, "APOP");
    }

    private static string? PlaintextSecret(string password)
    {
        foreach (var scheme in PlaintextSchemes)
        {
            if (password.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                return password[scheme.Length..];
            }
        }

        return null;
    }

    private static bool DigestMatches(string timestamp, string secret, string digest)
    {
#pragma warning disable CA5351 // RFC 1939 defines APOP with MD5; it is off by default.
        var expected = MD5.HashData(Encoding.UTF8.GetBytes(timestamp + secret));
#pragma warning restore CA5351
        var given = Encoding.ASCII.GetBytes(digest.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(expected)), given);
    }
}
