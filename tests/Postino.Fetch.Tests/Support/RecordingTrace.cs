using Postino.Fetch.Protocol;

namespace Postino.Fetch.Tests.Support;

internal sealed class RecordingTrace : IProtocolTrace
{
    public List<string> Lines { get; } = [];

    public void ClientLine(string line) => Lines.Add("C: " + line);

    public void ServerLine(string line) => Lines.Add("S: " + line);
}
