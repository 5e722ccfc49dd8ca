using Postino.Fetch.Protocol;

namespace Postino.Cli.Fetch;

/// <summary><c>--verbose</c>: the protocol conversation on standard error (the clients redact secrets).</summary>
internal sealed class ConsoleTrace(TextWriter error) : IProtocolTrace
{
    private readonly Lock _gate = new();

    public void ClientLine(string line)
    {
        lock (_gate)
        {
            error.WriteLine("C: " + line);
        }
    }

    public void ServerLine(string line)
    {
        lock (_gate)
        {
            error.WriteLine("S: " + line);
        }
    }
}
