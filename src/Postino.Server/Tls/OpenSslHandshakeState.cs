using System.Net.Security;
using System.Runtime.InteropServices;

namespace Postino.Server.Tls;

/// <summary>
/// Whether OpenSSL has finished a connection's handshake (<c>SSL_is_init_finished</c>), asked while SslStream is still
/// inside AuthenticateAsServerAsync writing the handshake's last records: the TLS 1.3 session ticket after the
/// client's Finished, or TLS 1.2's final flight. <see cref="DuplexPipeStream.HoldHandshakeTail"/> holds those back for
/// the greeting. Found through <see cref="OpenSslHandle"/>; where it cannot be told the answer is false, and every
/// record goes out at once as before.
/// </summary>
internal static class OpenSslHandshakeState
{
    /// <summary>True when <paramref name="stream"/>'s SSL object says its handshake is complete.</summary>
    internal static bool IsFinished(SslStream? stream) =>
        OpenSslHandle.Call(stream, 0, static (ssl, _) => SslIsInitFinished(ssl)) == 1;

    // int SSL_is_init_finished(const SSL *s)
    [DllImport(OpenSslHandle.LibSsl, EntryPoint = "SSL_is_init_finished")]
    private static extern int SslIsInitFinished(IntPtr ssl);
}
