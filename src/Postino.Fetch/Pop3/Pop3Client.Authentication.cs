using System.Security.Cryptography;
using System.Text;
using Postino.Fetch.Protocol;
using Postino.Fetch.Sasl;

namespace Postino.Fetch.Pop3;

public sealed partial class Pop3Client
{
    private const string Redacted = "****";

    /// <summary>The method <see cref="AuthenticateAsync"/> used, once logged in.</summary>
    public Pop3AuthMethod? AuthenticatedWith { get; private set; }

    /// <summary>
    /// Logs in. <see cref="Pop3AuthMethod.Auto"/> picks the strongest method the server offers. A refusal throws
    /// <see cref="MailCommandException"/> (code <see cref="ResponseCode.Auth"/> for bad credentials when the server
    /// says so); secrets never reach the trace.
    /// </summary>
    public async Task AuthenticateAsync(string user, string password, Pop3AuthMethod method, CancellationToken cancellationToken)
    {
        if (method == Pop3AuthMethod.Auto)
        {
            method = ChooseMethod();
        }

        switch (method)
        {
            case Pop3AuthMethod.Apop:
                await ApopAsync(user, password, cancellationToken);
                break;
            case Pop3AuthMethod.UserPass:
                await CommandAsync($"USER {user}", null, cancellationToken);
                await CommandAsync($"PASS {password}", $"PASS {Redacted}", cancellationToken);
                break;
            default:
                await SaslAsync(SaslClient.Create(MechanismName(method), user, password)!, cancellationToken);
                break;
        }

        AuthenticatedWith = method;
    }

    /// <summary>Logs in with a prepared SASL client (a chosen mechanism, or a fixed nonce in tests).</summary>
    public Task AuthenticateWithAsync(SaslClient sasl, CancellationToken cancellationToken) => SaslAsync(sasl, cancellationToken);

    private Pop3AuthMethod ChooseMethod()
    {
        var offered = Capabilities.SaslMechanisms;
        if (offered.Contains("SCRAM-SHA-256"))
        {
            return Pop3AuthMethod.ScramSha256;
        }

        if (ApopTimestamp is not null)
        {
            return Pop3AuthMethod.Apop;
        }

        if (offered.Contains("PLAIN"))
        {
            return Pop3AuthMethod.Plain;
        }

        return offered.Contains("LOGIN") && !Capabilities.User ? Pop3AuthMethod.Login : Pop3AuthMethod.UserPass;
    }

    private async Task ApopAsync(string user, string password, CancellationToken cancellationToken)
    {
        if (ApopTimestamp is null)
        {
            throw new InvalidOperationException("The server's greeting has no APOP timestamp.");
        }

#pragma warning disable CA5351 // APOP is defined with MD5 (RFC 1939 §7); the server chooses it, not us.
        var digest = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(ApopTimestamp + password)));
#pragma warning restore CA5351
        await CommandAsync($"APOP {user} {digest}", $"APOP {user} {Redacted}", cancellationToken);
    }

    private async Task SaslAsync(SaslClient sasl, CancellationToken cancellationToken)
    {
        var initial = sasl.InitialResponse();
        var command = initial is null ? $"AUTH {sasl.Mechanism}" : $"AUTH {sasl.Mechanism} {EncodeInitial(initial)}";
        await _connection.WriteLineAsync(command, initial is null ? null : $"AUTH {sasl.Mechanism} {Redacted}", cancellationToken);
        while (true)
        {
            var line = await _connection.ReadLineAsync(cancellationToken);
            if (line == "+" || line.StartsWith("+ ", StringComparison.Ordinal))
            {
                var challenge = Decode(line.Length > 2 ? line[2..] : string.Empty);
                var response = challenge is null ? null : await _connection.ComputeAsync(ct => sasl.Respond(challenge, ct), cancellationToken);
                if (response is null)
                {
                    await _connection.WriteLineAsync("*", null, cancellationToken);
                    await ReadAuthCancelReplyAsync(cancellationToken);
                    throw await FailAsync($"The server's {sasl.Mechanism} challenge was malformed.");
                }

                await _connection.WriteLineAsync(Encode(response), Redacted, cancellationToken);
                continue;
            }

            await CheckAuthStatusAsync(line);
            if (!sasl.ServerVerified)
            {
                throw await FailAsync($"The server accepted {sasl.Mechanism} without proving it knows the password.");
            }

            return;
        }
    }

    private async Task CheckAuthStatusAsync(string line)
    {
        try
        {
            CheckStatus(line, "AUTH");
        }
        catch (MailProtocolException)
        {
            await _connection.DisposeAsync();
            throw;
        }
    }

    private async Task ReadAuthCancelReplyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ReadStatusAsync("AUTH", cancellationToken);
        }
        catch (MailCommandException)
        {
            // The expected answer to "*".
        }
    }

    private static string MechanismName(Pop3AuthMethod method) => method switch
    {
        Pop3AuthMethod.Plain => "PLAIN",
        Pop3AuthMethod.Login => "LOGIN",
        Pop3AuthMethod.ScramSha256 => "SCRAM-SHA-256",
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };

    // RFC 5034 §4: an empty initial response is "=", an empty continuation response an empty line.
    private static string EncodeInitial(byte[] data) => data.Length == 0 ? "=" : Convert.ToBase64String(data);

    private static string Encode(byte[] data) => Convert.ToBase64String(data);

    private static byte[]? Decode(string text)
    {
        if (text.Length == 0 || text == "=")
        {
            return [];
        }

        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
