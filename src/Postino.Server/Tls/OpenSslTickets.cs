using System.Net.Security;
using System.Runtime.InteropServices;

namespace Postino.Server.Tls;

/// <summary>
/// How many TLS 1.3 session tickets the server sends after a full handshake. OpenSSL's default is 2 (so that a browser
/// may open two resumed connections); each costs the server a serialised and encrypted session, a key derivation and
/// a record, for a mail client that resumes with one ticket at most (one connection per account, and every
/// resumption brings a fresh ticket: OpenSSL sends one after a resumed handshake whatever this says). .NET does not
/// expose the setting; this calls libssl's <c>SSL_set_num_tickets</c> on the connection's SSL object through
/// <see cref="OpenSslHandle"/>, during the handshake: after the client's hello made the SSL object and before its
/// Finished is read (when the tickets go out). Elsewhere (another runtime layout, platform or OpenSSL) nothing changes.
/// </summary>
internal static class OpenSslTickets
{
    /// <summary>One ticket: what one mail client's next connection resumes with.</summary>
    internal const int PerFullHandshake = 1;

    /// <summary>Sets the count on <paramref name="stream"/>'s SSL object; false when it could not (nothing changed).</summary>
    internal static bool Limit(SslStream? stream, int tickets) =>
        OpenSslHandle.Call(stream, (nuint)tickets, static (ssl, count) => SslSetNumTickets(ssl, count)) == 1;

    /// <summary>The count <paramref name="stream"/>'s SSL object will send, or null when it cannot be told.</summary>
    internal static int? Count(SslStream? stream) =>
        OpenSslHandle.Call(stream, 0, static (ssl, _) => (nint)SslGetNumTickets(ssl)) is { } count ? (int)count : null;

    // int SSL_set_num_tickets(SSL *s, size_t num_tickets)
    [DllImport(OpenSslHandle.LibSsl, EntryPoint = "SSL_set_num_tickets")]
    private static extern int SslSetNumTickets(IntPtr ssl, nuint tickets);

    // size_t SSL_get_num_tickets(const SSL *s)
    [DllImport(OpenSslHandle.LibSsl, EntryPoint = "SSL_get_num_tickets")]
    private static extern nuint SslGetNumTickets(IntPtr ssl);
}
