using Postino.Fetch.Durability;
using Postino.Storage;
using Postino.Storage.Maildir;

namespace Postino.Fetch.Destinations;

/// <summary>
/// Delivers into a Maildir through Storage's own delivery (<see cref="MaildirDelivery"/>), so fetched mail gets the
/// same <c>UNIQUE,S=,W=</c> names, sanitised host name, permissions and durability (tmp/, fsync, rename into new/,
/// fsync of new/) as mail the server delivered, and a Maildir filled by both reads as one. The content arrives in wire
/// form and is stored with LF line ends. The unique part of the name is the marker: after a crash the message is
/// looked for in <c>new/</c> and <c>cur/</c> (where a mail reader may have moved it and added flags).
/// </summary>
public sealed class MaildirDestination : IMessageDestination
{
    private readonly string _root;
    private readonly MaildirDelivery _delivery;

    public MaildirDestination(string root, TimeProvider? timeProvider = null)
    {
        _root = Path.GetFullPath(root);
        _delivery = new MaildirDelivery(LocalHostName.Default, timeProvider ?? TimeProvider.System);
    }

    public string Description => $"maildir:{_root}";

    public string NewDirectory => Path.Combine(_root, "new");

    public Task<IPendingDelivery> BeginAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IPendingDelivery>(new Pending(_delivery.Begin(_root)));

    public Task<bool?> WasDeliveredAsync(string marker, CancellationToken cancellationToken)
    {
        if (marker.Length == 0 || marker.Contains('/', StringComparison.Ordinal) || marker.StartsWith('.'))
        {
            return Task.FromResult<bool?>(false);
        }

        var delivered = new[] { "new", "cur" }
            .Select(sub => Path.Combine(_root, sub))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, marker + "*"))
            .Any(file => MaildirPendingMessage.IsNameOf(Path.GetFileName(file), marker));
        return Task.FromResult<bool?>(delivered);
    }

    private sealed class Pending : IPendingDelivery
    {
        private readonly MaildirPendingMessage _message;
        private readonly CrLfToLfStream _content;

        public Pending(MaildirPendingMessage message)
        {
            _message = message;
            _content = new CrLfToLfStream(message.Content);
        }

        public Stream Content => _content;

        public async Task<string?> PrepareAsync(CancellationToken cancellationToken)
        {
            await _content.CompleteAsync(cancellationToken);
            await _message.FlushToDiskAsync(cancellationToken);
            return _message.Unique;
        }

        public async Task CommitAsync(CancellationToken cancellationToken) => await _message.CommitAsync();

        public ValueTask DisposeAsync() => _message.DisposeAsync();
    }
}
