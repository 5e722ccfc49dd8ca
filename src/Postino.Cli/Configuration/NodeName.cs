using Microsoft.Extensions.Configuration;

namespace Postino.Cli.Configuration;

/// <summary>
/// The name of this <c>serve</c> node among several on one store (<c>--node-name</c>, config <c>NodeName</c>), shown in
/// every log line. Default: the host name as everything else uses it (<see cref="Postino.Storage.LocalHostName"/>).
/// Letters, digits, '.', '-' and '_' only, so it cannot forge log text.
/// </summary>
internal static class NodeName
{
    public const string Key = "NodeName";

    public static string Resolve(IConfiguration configuration)
    {
        var name = configuration[Key] is { Length: > 0 } configured ? configured : Postino.Storage.LocalHostName.Default;
        if (name.Length > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
        {
            throw new ConfigurationProblem($"{Key}: '{name}' must be 1-64 letters, digits, '.', '-' or '_'");
        }

        return name;
    }
}
