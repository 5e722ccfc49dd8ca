namespace Postino.Fetch.State;

/// <summary>What one account has already downloaded (kept in a per-account state file).</summary>
public sealed class FetchState
{
    private readonly Dictionary<string, FetchStateEntry> _entries = new(StringComparer.Ordinal);

    public FetchState()
    {
    }

    public FetchState(IEnumerable<FetchStateEntry> entries)
    {
        foreach (var entry in entries)
        {
            _entries[entry.Key] = entry;
        }
    }

    public IReadOnlyCollection<FetchStateEntry> Entries => _entries.Values;

    public FetchStateEntry? Find(string key) => _entries.GetValueOrDefault(key);

    public void Set(FetchStateEntry entry) => _entries[entry.Key] = entry;

    public bool Remove(string key) => _entries.Remove(key);

    /// <summary>Forgets stored messages that are no longer on the server; returns how many.</summary>
    public int ForgetAllExcept(IReadOnlySet<string> keysOnServer)
    {
        var gone = _entries.Values.Where(e => e.Status == FetchEntryStatus.Stored && !keysOnServer.Contains(e.Key)).Select(e => e.Key).ToList();
        foreach (var key in gone)
        {
            _entries.Remove(key);
        }

        return gone.Count;
    }
}
