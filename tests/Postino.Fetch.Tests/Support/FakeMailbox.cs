using System.Text;

namespace Postino.Fetch.Tests.Support;

/// <summary>The messages a fake server serves; deletions apply only at a session's QUIT.</summary>
internal sealed class FakeMailbox
{
    private readonly Lock _gate = new();
    private readonly List<(string Uidl, byte[] Content)> _messages = [];
    private int _nextUidl = 1;

    public IReadOnlyList<(string Uidl, byte[] Content)> Snapshot()
    {
        lock (_gate)
        {
            return _messages.ToList();
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _messages.Count;
            }
        }
    }

    public string Add(string content)
    {
        lock (_gate)
        {
            var uidl = $"uid{_nextUidl++:D4}";
            _messages.Add((uidl, Encoding.UTF8.GetBytes(content.ReplaceLineEndings("\r\n"))));
            return uidl;
        }
    }

    public void Remove(IEnumerable<string> uidls)
    {
        var gone = uidls.ToHashSet();
        lock (_gate)
        {
            _messages.RemoveAll(m => gone.Contains(m.Uidl));
        }
    }
}
