using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Postino.Storage.Users;

/// <summary>What happens to retrieved mail of a user: the client decides (DELE), deleted when retrieved, or kept N days.</summary>
public enum RetentionMode
{
    Client,
    DeleteOnRetrieve,
    KeepDays,
}

/// <summary>
/// A user's retention, written <c>client</c>, <c>delete-on-retrieve</c> or <c>keep-days:N</c> in the users file
/// (<c>postino_retention=</c>) and on the command line.
/// </summary>
public readonly record struct RetentionPolicy(RetentionMode Mode, int KeepDays = 0)
{
    private const string KeepDaysPrefix = "keep-days:";

    public static RetentionPolicy Client => new(RetentionMode.Client);

    public static RetentionPolicy DeleteOnRetrieve => new(RetentionMode.DeleteOnRetrieve);

    public static bool TryParse(string? text, [NotNullWhen(true)] out RetentionPolicy? policy)
    {
        policy = null;
        switch (text)
        {
            case "client":
                policy = Client;
                return true;
            case "delete-on-retrieve":
                policy = DeleteOnRetrieve;
                return true;
        }

        if (text is not null
            && text.StartsWith(KeepDaysPrefix, StringComparison.Ordinal)
            && int.TryParse(text.AsSpan(KeepDaysPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var days)
            && days >= 0)
        {
            policy = new RetentionPolicy(RetentionMode.KeepDays, days);
            return true;
        }

        return false;
    }

    public override string ToString() => Mode switch
    {
        RetentionMode.DeleteOnRetrieve => "delete-on-retrieve",
        RetentionMode.KeepDays => string.Create(CultureInfo.InvariantCulture, $"{KeepDaysPrefix}{KeepDays}"),
        _ => "client",
    };
}
