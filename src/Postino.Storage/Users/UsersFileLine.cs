namespace Postino.Storage.Users;

/// <summary>One line of the users file as read: its text, and the user when it is not a comment or blank line.</summary>
internal sealed record UsersFileLine(string Text, UserRecord? User);
