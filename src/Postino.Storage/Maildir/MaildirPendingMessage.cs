using System.Globalization;
using Postino.Protocols.Text;

namespace Postino.Storage.Maildir;

/// <summary>
/// One message on its way into a Maildir folder, written by whoever has the bytes (the store's delivery, or
/// <c>postino fetch</c>'s Maildir destination): a 0600 file in <c>tmp/</c> under a unique name
/// (<see cref="MaildirUniqueName"/>), counted as it is written, fsynced by <see cref="FlushToDiskAsync"/>, and renamed
/// into <c>new/</c> as <c>UNIQUE,S=FILESIZE,W=WIRESIZE</c> by <see cref="CommitAsync"/>, which returns once <c>new/</c>
/// is fsynced. Disposing it uncommitted removes the temporary file.
/// </summary>
public sealed class MaildirPendingMessage : IAsyncDisposable
{
    private readonly string _newFolder;
    private readonly string _temporary;
    private readonly FileStream _file;
    private readonly WireSizeCounter _wire = new();
    private readonly Func<string, ValueTask> _syncNew;
    private bool _committed;

    internal MaildirPendingMessage(MaildirFolder folder, string unique, Func<string, ValueTask> syncNew)
    {
        Unique = unique;
        _newFolder = folder.New;
        _temporary = Path.Combine(folder.Tmp, unique);
        _syncNew = syncNew;

        // O_EXCL: a name planted in tmp/ (a symlink included) fails the delivery instead of being written through.
        _file = new FileStream(_temporary, Files.PrivateFiles.CreateNew());
    }

    /// <summary>The unique part of the name: the message's UIDL, and the marker a crash-recovery looks for.</summary>
    public string Unique { get; }

    /// <summary>Octets written so far (the file size, <c>S=</c>).</summary>
    public long StoredSize { get; private set; }

    /// <summary>The size on the wire (CRLF line ends, <c>W=</c>) of what was written so far.</summary>
    public long WireSize => _wire.Total;

    /// <summary>The name in <c>new/</c> once committed: <c>UNIQUE,S=n,W=n</c>.</summary>
    public string BaseName => string.Create(CultureInfo.InvariantCulture, $"{Unique},S={StoredSize},W={WireSize}");

    /// <summary>The same as <see cref="WriteAsync"/>, as a write-only stream.</summary>
    public Stream Content => new MaildirPendingContent(this);

    /// <summary>Appends stored bytes (line ends as they are to be stored: LF).</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        _wire.Add(data.Span);
        StoredSize += data.Length;
        await _file.WriteAsync(data, cancellationToken);
    }

    internal void Write(ReadOnlySpan<byte> data)
    {
        _wire.Add(data);
        StoredSize += data.Length;
        _file.Write(data);
    }

    /// <summary>Makes the content durable (fsync of the temporary file); nothing is visible in <c>new/</c> yet.</summary>
    public async ValueTask FlushToDiskAsync(CancellationToken cancellationToken)
    {
        await _file.FlushAsync(cancellationToken);
        _file.Flush(flushToDisk: true);
        await _file.DisposeAsync();
    }

    /// <summary>Renames the message into <c>new/</c> and returns its base name once <c>new/</c> is fsynced.</summary>
    public async ValueTask<string> CommitAsync()
    {
        var baseName = MoveToNew();
        await _syncNew(_newFolder);
        return baseName;
    }

    /// <summary>The file in <c>tmp/</c> (after <see cref="FlushToDiskAsync"/>: durable, for hard links elsewhere).</summary>
    internal string TemporaryPath => _temporary;

    /// <summary>The rename of <see cref="CommitAsync"/> without the sync of <c>new/</c>, which the caller owes.</summary>
    internal string MoveToNew()
    {
        var baseName = BaseName;
        File.Move(_temporary, Path.Combine(_newFolder, baseName), overwrite: false);
        _committed = true;
        return baseName;
    }

    /// <summary>
    /// True when <paramref name="fileName"/> (in <c>new/</c> or <c>cur/</c>) is the message whose unique part is
    /// <paramref name="unique"/>: the bare unique name, or it followed by the size fields or the info (<c>:2,S</c>).
    /// </summary>
    public static bool IsNameOf(string fileName, string unique)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(unique);
        return fileName.StartsWith(unique, StringComparison.Ordinal)
            && (fileName.Length == unique.Length || fileName[unique.Length] is ',' or ':');
    }

    public async ValueTask DisposeAsync()
    {
        await _file.DisposeAsync();
        if (!_committed)
        {
            try
            {
                File.Delete(_temporary);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Left in tmp/: the next login removes it once stale, and nothing reads tmp/.
            }
        }
    }
}
