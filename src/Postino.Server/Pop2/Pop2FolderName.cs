namespace Postino.Server.Pop2;

/// <summary>
/// Turns a FOLD argument into the name the session keys its open folders by: <c>INBOX</c> in any case is the inbox;
/// any other name is a Maildir++ subfolder, taken as written. Names that could reach outside the user's Maildir are
/// never passed to the store; they are answered like a missing folder.
/// </summary>
public static class Pop2FolderName
{
    public const string Inbox = "INBOX";

    private const int MaxLength = 255;

    /// <summary>The folder key, or null when the name can never be a folder.</summary>
    public static string? Normalize(string name)
    {
        if (string.Equals(name, Inbox, StringComparison.OrdinalIgnoreCase))
        {
            return Inbox;
        }

        var acceptable = name.Length is > 0 and <= MaxLength
            && !name.StartsWith('.')
            && !name.EndsWith('.')
            && !name.Contains("..", StringComparison.Ordinal)
            && !name.Any(c => c is '/' or '\\' || char.IsControl(c));
        return acceptable ? name : null;
    }
}
