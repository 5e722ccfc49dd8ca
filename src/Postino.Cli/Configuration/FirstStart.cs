using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Postino.Storage;
using Postino.Storage.Users;
using Postino.Storage.Users.Schemes;

namespace Postino.Cli.Configuration;

/// <summary>
/// The embedded default's first start: a users file with no users gets the user <c>demo</c>, with a random password
/// that is returned once to be printed (only its hash is stored), and a welcome message in its mailbox.
/// </summary>
internal static class FirstStart
{
    public const string DemoUser = "demo";

    public static async Task<string?> EnsureDemoUserAsync(
        IUserStore users, IMailStore store, PasswordSchemeRegistry schemes, string hostName, CancellationToken cancellationToken)
    {
        if ((await users.ListAsync(cancellationToken)).Count > 0)
        {
            return null;
        }

        var password = RandomPassword();
        var record = UserRecord.Create(DemoUser, schemes.Hash(password));
        await users.AddAsync(record, cancellationToken);
        using var welcome = new MemoryStream(Encoding.UTF8.GetBytes(WelcomeMessage(hostName, DateTimeOffset.UtcNow)));
        await store.DeliverAsync(DemoUser, welcome, cancellationToken);
        return password;
    }

    /// <summary>16 characters from an alphabet without look-alikes (no 0/O, 1/l/I): about 90 bits.</summary>
    private static string RandomPassword() =>
        RandomNumberGenerator.GetString("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 16);

    private static string WelcomeMessage(string hostName, DateTimeOffset now) => string.Create(CultureInfo.InvariantCulture, $"""
        From: Postino <postmaster@{hostName}>
        To: demo <demo@{hostName}>
        Subject: Welcome to Postino
        Date: {now:ddd, dd MMM yyyy HH:mm:ss} +0000
        Message-ID: <welcome.{now.ToUnixTimeSeconds()}@{hostName}>
        MIME-Version: 1.0
        Content-Type: text/plain; charset=utf-8

        Hello,

        this is Postino's first message. Your server is running: read this message
        with any POP3 client (POP3 with STLS, POP3S, or POP2), send more over LMTP or
        SMTP, and add real users with `postino user add NAME`.

        -- Postino

        """).ReplaceLineEndings("\n");
}
