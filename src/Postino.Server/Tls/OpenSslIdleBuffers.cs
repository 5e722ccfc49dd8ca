using System.Net.Security;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Postino.Server.Tls;

/// <summary>
/// Asks OpenSSL to free a connection's record buffers whenever they are empty (<c>SSL_MODE_RELEASE_BUFFERS</c>, as
/// nginx and Python's ssl module do). Without it each SSL object keeps a read and a write buffer of about 17 KB each
/// from its first record to its close, so an idle POP3S session held them for nothing (bench/README.md, issue 12).
/// .NET does not set the mode and gives no access to the SSL object, so this finds it in <see cref="SslStream"/>'s
/// security context (on Linux a SafeSslHandle whose handle is the SSL*) and calls libssl's <c>SSL_ctrl</c>. Each step
/// is checked: another runtime's layout, another platform or another OpenSSL than the runtime's own changes nothing
/// (the connection keeps OpenSSL's default), and a test fails on the runtime this ships with if the lookup breaks.
/// Call it right after the handshake, before the connection reads or writes (OpenSSL's SSL object is not thread-safe).
/// </summary>
public static class OpenSslIdleBuffers
{
    private const int SslCtrlMode = 33; // SSL_CTRL_MODE, the same in OpenSSL 1.1 and 3.x
    private const long SslModeReleaseBuffers = 0x10; // SSL_MODE_RELEASE_BUFFERS

    private static readonly FieldInfo? SecurityContext = OperatingSystem.IsLinux()
        ? typeof(SslStream).GetField("_securityContext", BindingFlags.Instance | BindingFlags.NonPublic)
        : null;

    private static readonly bool Supported = SecurityContext is not null && RuntimeUsesOpenSsl3();

    /// <summary>Sets the mode on <paramref name="stream"/>'s SSL object; false when it could not (then nothing changed).</summary>
    public static bool Release(SslStream? stream) => OrMode(stream, SslModeReleaseBuffers) is { } mode && (mode & SslModeReleaseBuffers) != 0;

    /// <summary>Whether <paramref name="stream"/>'s SSL object has the mode (false when it cannot be told).</summary>
    internal static bool IsSet(SslStream? stream) => OrMode(stream, 0) is { } mode && (mode & SslModeReleaseBuffers) != 0;

    // SSL_CTRL_MODE ORs its argument into the SSL object's mode and returns the result (0 only reads it).
    private static long? OrMode(SslStream? stream, long add)
    {
        if (stream is null || !Supported
            || SecurityContext!.GetValue(stream) is not SafeHandle { IsInvalid: false, IsClosed: false } ssl
            || ssl.GetType().Name != "SafeSslHandle")
        {
            return null;
        }

        var added = false;
        try
        {
            ssl.DangerousAddRef(ref added);
            return SslCtrl(ssl.DangerousGetHandle(), SslCtrlMode, (nint)add, IntPtr.Zero);
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
        finally
        {
            if (added)
            {
                ssl.DangerousRelease();
            }
        }
    }

    // The libssl the runtime loaded is the one of the OpenSSL version it reports (0xMNN00000L): only 3.x is called here,
    // by its usual name, which resolves to the library already in the process.
    private static bool RuntimeUsesOpenSsl3()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return SafeEvpPKeyHandle.OpenSslVersion >> 28 == 3;
        }
        catch (Exception exception) when (exception is PlatformNotSupportedException or DllNotFoundException or TypeInitializationException)
        {
            return false;
        }
    }

    // long SSL_ctrl(SSL *ssl, int cmd, long larg, void *parg)
    [DllImport("libssl.so.3", EntryPoint = "SSL_ctrl")]
    private static extern nint SslCtrl(IntPtr ssl, int cmd, nint larg, IntPtr parg);
}
