using Microsoft.Extensions.Configuration;
using Postino.Storage;

namespace Postino.Cli.Configuration;

/// <summary>One name for greetings, Received headers and new Maildir file names: Server:HostName, else the machine's.</summary>
internal static class ServerHostName
{
    public static string Of(IConfiguration configuration) =>
        configuration["Server:HostName"] is { Length: > 0 } name ? name : LocalHostName.Default;
}
