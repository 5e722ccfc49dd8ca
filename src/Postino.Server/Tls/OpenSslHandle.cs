using System.Net.Security;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Postino.Server.Tls;

/// <summary>
/// The OpenSSL <c>SSL*</c> under an <see cref="SslStream"/>, for the few per-connection settings .NET does not expose
/// (<see cref="OpenSslIdleBuffers"/>, <see cref="OpenSslTickets"/>). On Linux the stream's security context is a
/// SafeSslHandle whose handle is the SSL object; each step is checked, and another runtime's layout, another platform
/// or another OpenSSL than 3.x gives no handle (the caller then changes nothing). OpenSSL's SSL object is not
/// thread-safe: use it only while nothing else drives the stream (during a handshake write, or right after it).
/// </summary>
internal static class OpenSslHandle
{
    /// <summary>libssl of OpenSSL 3.x, by its usual name: it resolves to the library already in the process.</summary>
    internal const string LibSsl = "libssl.so.3";

    private static readonly FieldInfo? SecurityContext = OperatingSystem.IsLinux()
        ? typeof(SslStream).GetField("_securityContext", BindingFlags.Instance | BindingFlags.NonPublic)
        : null;

    private static readonly bool Supported = SecurityContext is not null && RuntimeUsesOpenSsl3();

    /// <summary>
    /// Calls <paramref name="call"/> with the stream's SSL object, held against release meanwhile; null when there is
    /// none (no handshake yet, not OpenSSL 3, another runtime layout) or the library has no such function.
    /// </summary>
    internal static nint? Call<TState>(SslStream? stream, TState state, Func<IntPtr, TState, nint> call)
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
            return call(ssl.DangerousGetHandle(), state);
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

    // The libssl the runtime loaded is the one of the OpenSSL version it reports (0xMNN00000L): only 3.x is called.
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
}
