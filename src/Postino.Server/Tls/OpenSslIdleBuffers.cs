using System.Net.Security;
using System.Runtime.InteropServices;

namespace Postino.Server.Tls;

/// <summary>
/// Asks OpenSSL to free a connection's record buffers whenever they are empty (<c>SSL_MODE_RELEASE_BUFFERS</c>, as
/// nginx and Python's ssl module do). Without it each SSL object keeps a read and a write buffer of about 17 KB each
/// from its first record to its close, so an idle POP3S session held them for nothing (bench/README.md, issue 12).
/// .NET does not set the mode; <see cref="OpenSslHandle"/> finds the SSL object and this calls libssl's
/// <c>SSL_ctrl</c>. Another runtime's layout, another platform or another OpenSSL changes nothing (the connection keeps
/// OpenSSL's default), and a test fails on the runtime this ships with if the lookup breaks.
/// Call it right after the handshake, before the connection reads or writes (OpenSSL's SSL object is not thread-safe).
/// </summary>
public static class OpenSslIdleBuffers
{
    private const int SslCtrlMode = 33; // SSL_CTRL_MODE, the same in OpenSSL 1.1 and 3.x
    private const long SslModeReleaseBuffers = 0x10; // SSL_MODE_RELEASE_BUFFERS

    /// <summary>Sets the mode on <paramref name="stream"/>'s SSL object; false when it could not (then nothing changed).</summary>
    public static bool Release(SslStream? stream) => OrMode(stream, SslModeReleaseBuffers) is { } mode && (mode & SslModeReleaseBuffers) != 0;

    /// <summary>Whether <paramref name="stream"/>'s SSL object has the mode (false when it cannot be told).</summary>
    internal static bool IsSet(SslStream? stream) => OrMode(stream, 0) is { } mode && (mode & SslModeReleaseBuffers) != 0;

    // SSL_CTRL_MODE ORs its argument into the SSL object's mode and returns the result (0 only reads it).
    private static long? OrMode(SslStream? stream, long add) =>
        OpenSslHandle.Call(stream, (nint)add, static (ssl, mode) => SslCtrl(ssl, SslCtrlMode, mode, IntPtr.Zero));

    // long SSL_ctrl(SSL *ssl, int cmd, long larg, void *parg)
    [DllImport(OpenSslHandle.LibSsl, EntryPoint = "SSL_ctrl")]
    private static extern nint SslCtrl(IntPtr ssl, int cmd, nint larg, IntPtr parg);
}
