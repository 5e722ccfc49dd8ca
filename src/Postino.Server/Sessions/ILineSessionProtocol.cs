using System.Buffers;

namespace Postino.Server.Sessions;

/// <summary>
/// What a protocol (POP3, POP2, SMTP/LMTP) supplies to the <see cref="SessionKernel"/>: its idle timeout, how it
/// handles a batch of input (its state table and command handlers), how it flushes, and what it resets after TLS.
/// The kernel owns the rest: the read loop under the deadlines, the STLS/STARTTLS upgrade and the close.
/// </summary>
public interface ILineSessionProtocol
{
    /// <summary>The idle timeout for the next wait (infinite when the protocol runs its own idle timer).</summary>
    TimeSpan IdleTimeout { get; }

    /// <summary>
    /// True when pending replies go out as part of the next wait, under its deadline (SMTP/LMTP, POP2); false when
    /// the kernel calls <see cref="FlushAsync"/> after each batch (POP3).
    /// </summary>
    bool FlushesWhileWaiting { get; }

    /// <summary>
    /// True when <see cref="HandleAsync"/> may run on the socket's event thread, where the input arrived, because every
    /// command that may block (a store's disk work, a password hash) moves to the thread pool itself
    /// (<see cref="Postino.Storage.Threading.OffEventLoop"/>); false (the default) has the kernel move each batch to the
    /// pool first.
    /// </summary>
    bool HandlesOnEventThread => false;

    /// <summary>
    /// Handles as many whole commands of <paramref name="buffer"/> as it can; stops early after asking for a TLS
    /// upgrade or deciding to close.
    /// </summary>
    ValueTask<SessionBatch> HandleAsync(ReadOnlySequence<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Sends the buffered replies (after a batch, before a TLS handshake, before the close).</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken);

    /// <summary>TLS is up: the protocol starts afresh (new parser, state before login or greeting).</summary>
    void Upgraded();
}
