using Postino.Fetch.Durability;
using Postino.Storage.Files;
using Postino.Storage;
using Postino.Storage.Maildir;

namespace Postino.Fetch.Destinations;

/// <summary>
/// Delivers into a Maildir: the message is written to <c>tmp/</c> with LF line ends, fsynced, renamed into
/// <c>new/</c>, and <c>new/</c> is fsynced. The unique file name is the marker, so a crash after the rename is
/// recognised by looking for the name in <c>new/</c> or <c>cur/</c> (where a mail reader may have moved it).
/// </summary>
public sealed class MaildirDestination : IMessageDestination
{
    private readonly string _root;
    private readonly TimeProvider _timeProvider;

    public MaildirDestination(string root, TimeProvider? timeProvider = null)
    {
        _root = Path.GetFullPath(root);
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    public string Description => $"maildir:{_root}";

    public string NewDirectory => Path.Combine(_root, "new");

    public Task<IPendingDelivery> BeginAsync(CancellationToken cancellationToken)
    {
        foreach (var sub in new[] { "tmp", "new", "cur" })
        {
            var path = Path.Combine(_root, sub);
            PrivateFile.CreateDirectory(path);
        }

        var name = UniqueName();
        return Task.FromResult<IPendingDelivery>(new Pending(this, name));
    }

    public Task<bool?> WasDeliveredAsync(string marker, CancellationToken cancellationToken)
    {
        if (marker.Contains('/', StringComparison.Ordinal) || marker.StartsWith('.'))
        {
            return Task.FromResult<bool?>(false);
        }

        var delivered = File.Exists(Path.Combine(_root, "new", marker))
            || (Directory.Exists(Path.Combine(_root, "cur"))
                && Directory.EnumerateFiles(Path.Combine(_root, "cur"), marker + "*").Any(f =>
                {
                    var file = Path.GetFileName(f);
                    return file == marker || file.StartsWith(marker + ":", StringComparison.Ordinal);
                }));
        return Task.FromResult<bool?>(delivered);
    }

    // The same unique names as mail delivered by the server (Storage's rule, with its sanitised host name), so a
    // Maildir filled by both reads as one.
    private string UniqueName() => MaildirUniqueName.Create(_timeProvider.GetUtcNow(), LocalHostName.Default);

    private sealed class Pending : IPendingDelivery
    {
        private readonly MaildirDestination _destination;
        private readonly string _name;
        private readonly string _tmpPath;
        private readonly FileStream _file;
        private readonly CrLfToLfStream _content;
        private bool _committed;

        public Pending(MaildirDestination destination, string name)
        {
            _destination = destination;
            _name = name;
            _tmpPath = Path.Combine(destination._root, "tmp", name);
            _file = new FileStream(_tmpPath, PrivateFile.Options(FileMode.CreateNew, FileAccess.Write, FileOptions.Asynchronous));
            _content = new CrLfToLfStream(_file);
        }

        public Stream Content => _content;

        public async Task<string?> PrepareAsync(CancellationToken cancellationToken)
        {
            await _content.CompleteAsync(cancellationToken);
            await _file.FlushAsync(cancellationToken);
            _file.Flush(flushToDisk: true);
            await _file.DisposeAsync();
            return _name;
        }

        public Task CommitAsync(CancellationToken cancellationToken)
        {
            File.Move(_tmpPath, Path.Combine(_destination._root, "new", _name), overwrite: false);
            DurableFiles.SyncDirectory(Path.Combine(_destination._root, "new"));
            _committed = true;
            return Task.CompletedTask;
        }

        public async ValueTask DisposeAsync()
        {
            await _file.DisposeAsync();
            if (!_committed)
            {
                File.Delete(_tmpPath);
            }
        }
    }
}
