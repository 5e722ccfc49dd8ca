using Postino.Storage;

namespace Postino.Server.Tests.Pop2.Support;

/// <summary>A store a transcript can be replayed against: set it up, then read back what the session left.</summary>
public interface ITranscriptStore : IAsyncDisposable
{
    IMailStore Store { get; }

    Task AddFolderAsync(string user, string folder);

    /// <summary>Adds a message after those already in the folder (message numbers follow the order of the calls).</summary>
    Task AddMessageAsync(string user, string folder, byte[] message);

    /// <summary>Holds the folder as another session would, until <see cref="ReleaseOthersAsync"/>.</summary>
    Task LockAsync(string user, string folder);

    Task ReleaseOthersAsync();

    /// <summary>The folder's messages and whether each carries a first-retrieval time.</summary>
    /// <exception cref="MailboxInUseException">the session left the folder locked.</exception>
    Task<IReadOnlyList<(byte[] Bytes, bool Retrieved)>> ReadAsync(string user, string folder);
}
