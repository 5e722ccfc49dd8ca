using Postino.Fetch.Protocol;

namespace Postino.Fetch.Destinations;

/// <summary>
/// Forwards each message to an LMTP server (RFC 2033) for one recipient; the server's 250 after DATA means it has
/// the message durably. Like an MDA it cannot be asked afterwards, so delivery is at least once after a crash.
/// </summary>
public sealed class LmtpDestination(string host, int port, string recipient, MailConnectionOptions? options = null) : IMessageDestination
{
    public string Description => $"lmtp://{host}:{port}/{recipient}";

    public Task<IPendingDelivery> BeginAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IPendingDelivery>(new Pending(this));

    private async Task SendAsync(Stream message, CancellationToken cancellationToken)
    {
        try
        {
            await using var client = await LmtpClient.ConnectAsync(host, port, options, cancellationToken);
            await client.DeliverAsync(string.Empty, recipient, message, cancellationToken);
            await client.QuitAsync(cancellationToken);
        }
        catch (MailProtocolException exception)
        {
            throw new MessageDestinationException($"LMTP {Description}: {exception.Message}", isTemporary: true);
        }
    }

    public Task<bool?> WasDeliveredAsync(string marker, CancellationToken cancellationToken) => Task.FromResult<bool?>(null);

    private sealed class Pending(LmtpDestination destination) : IPendingDelivery
    {
        private readonly SpoolFile _spool = SpoolFile.Create();

        public Stream Content => _spool.Stream;

        public async Task<string?> PrepareAsync(CancellationToken cancellationToken)
        {
            await _spool.RewindAsync(cancellationToken);
            return null;
        }

        public Task CommitAsync(CancellationToken cancellationToken) => destination.SendAsync(_spool.Stream, cancellationToken);

        public ValueTask DisposeAsync() => _spool.DisposeAsync();
    }
}
