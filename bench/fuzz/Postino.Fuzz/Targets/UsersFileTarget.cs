using Postino.Storage.Users;
using Postino.Storage.Users.Schemes;

namespace Postino.Fuzz.Targets;

/// <summary>The users file: any bad line is a <see cref="UsersFileException"/> naming it, nothing else.</summary>
internal static class UsersFileTarget
{
    public static void Run(byte[] input)
    {
        try
        {
            var content = UsersFileContent.Parse("users", input, PasswordSchemeRegistry.Default);
            foreach (var user in content.Users)
            {
                _ = user.ToString();
            }
        }
        catch (UsersFileException)
        {
            // The documented answer to a bad file.
        }
    }
}
