using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Authentication;

namespace Postino.Server.Tls;

/// <summary>
/// Server-side TLS on an existing connection: STLS (RFC 2595) and STARTTLS (RFC 3207) on the plain listeners, and the
/// implicit-TLS listener (POP3S) that shakes hands before the greeting. The order for STLS/STARTTLS matters, and
/// <see cref="Sessions.SessionKernel"/> keeps it for every protocol:
/// 1. parse the command and <see cref="DiscardBufferedInput"/> (anything the client sent after it, before seeing our
///    reply, is an injection attempt and must never be read as a command, nor reach the TLS layer);
/// 2. reply ("+OK" / "220") and flush;
/// 3. <see cref="UpgradeAsync"/>; on <see cref="TlsHandshakeFailedException"/> end the session;
/// 4. read and write through the returned <see cref="TlsConnection"/> with a fresh parser; the kernel owns the
///    connection and disposes it once, when the session ends.
/// </summary>
public static class StartTls
{
    /// <summary>
    /// Drops every byte already received on <paramref name="input"/> and not yet consumed. Call it with no read
    /// outstanding (after the session advanced past the STLS line). Returns how many bytes were dropped.
    /// </summary>
    public static long DiscardBufferedInput(PipeReader input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!input.TryRead(out var result))
        {
            return 0;
        }

        var dropped = result.Buffer.Length;
        input.AdvanceTo(result.Buffer.End);
        return dropped;
    }

    /// <summary>
    /// Runs the server handshake on <paramref name="transport"/> with the certificate current now and the configured
    /// protocols and ciphers, within the handshake timeout.
    /// </summary>
    /// <param name="transport">The connection's plaintext pipes.</param>
    /// <param name="settings">Certificate, protocols and ciphers.</param>
    /// <param name="cancellationToken">Ends the handshake early.</param>
    /// <param name="serverSpeaksFirst">
    /// True on an implicit-TLS listener, where the greeting follows the handshake at once: the handshake's last records
    /// (the TLS 1.3 ticket) are not sent on their own but with the greeting's (one send fewer). Never after STLS or
    /// STARTTLS, where the client speaks next.
    /// </param>
    /// <exception cref="TlsHandshakeFailedException">The handshake failed, timed out, or no certificate is configured.</exception>
    public static async Task<TlsConnection> UpgradeAsync(
        IDuplexPipe transport,
        TlsServerSettings settings,
        CancellationToken cancellationToken,
        bool serverSpeaksFirst = false)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(settings);
        var created = settings.CreateAuthenticationOptions()
            ?? throw new TlsHandshakeFailedException("No TLS certificate is configured.");

        SslStream? stream = null;
        // One ticket after a full handshake instead of OpenSSL's two (OpenSslTickets): set while the server's first
        // flight is written, the one moment between the SSL object's creation and the tickets with nothing else on it.
        var pipes = new DuplexPipeStream(transport.Input, transport.Output, () => OpenSslTickets.Limit(stream, OpenSslTickets.PerFullHandshake));
        if (serverSpeaksFirst)
        {
            pipes.HoldHandshakeTail(() => OpenSslHandshakeState.IsFinished(stream));
        }

        stream = new SslStream(pipes, leaveInnerStreamOpen: true);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Options.HandshakeTimeout);
        try
        {
            await stream.AuthenticateAsServerAsync(created.Options, timeout.Token);
        }
        catch (Exception exception) when (exception is AuthenticationException or IOException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            await stream.DisposeAsync();
            throw new TlsHandshakeFailedException(
                exception is OperationCanceledException ? "TLS handshake timed out." : "TLS handshake failed: " + exception.Message,
                exception);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }

        pipes.EndHandshake();
        OpenSslIdleBuffers.Release(stream);
        return new TlsConnection(stream, pipes, TlsConnectionInfo.FromStream(stream, created.Certificate.TlsServerEndPoint));
    }
}
