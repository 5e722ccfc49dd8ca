namespace Postino.Fetch.Fetching;

/// <summary>Progress of a fetch, for a progress bar or log lines.</summary>
public interface IFetchProgress
{
    /// <summary>Logged in; this many new messages and octets are about to be downloaded (before limits).</summary>
    void Started(FetchAccount account, int messages, long octets);

    /// <summary>One message is stored.</summary>
    void MessageStored(FetchAccount account, long octets);

    /// <summary>Something worth telling the user (a retry, a skipped message, a recovered delivery).</summary>
    void Notice(FetchAccount account, string message);
}
