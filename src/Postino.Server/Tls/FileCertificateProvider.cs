using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Postino.Server.Tls;

/// <summary>
/// Serves a PEM certificate and reloads it when its files change (checked every poll interval on the given
/// <see cref="TimeProvider"/>) or when <see cref="Reload"/> is called (SIGHUP). A reload that fails keeps the previous
/// certificate, so a half-written renewal never takes TLS down; it is retried at the next poll. Sessions already in
/// TLS are untouched: they hold the certificate they shook hands with.
/// </summary>
public sealed partial class FileCertificateProvider : ICertificateProvider, IDisposable
{
    private readonly string _certificatePath;
    private readonly string? _privateKeyPath;
    private readonly ILogger _logger;
    private readonly ITimer? _timer;
    private readonly Lock _reloadLock = new();
    private volatile TlsCertificate _current;
    private string _fingerprint;

    /// <summary>Loads the files now (throws when they are unusable: a bad certificate must stop the start-up).</summary>
    /// <param name="certificatePath">fullchain.pem (or a PEM with certificate and key).</param>
    /// <param name="privateKeyPath">privkey.pem, or null when the key is in the certificate file.</param>
    /// <param name="timeProvider">Clock for the change polling.</param>
    /// <param name="pollInterval">How often to look at the files; null or zero disables polling (Reload only).</param>
    /// <param name="logger">Where reloads and reload failures are reported.</param>
    public FileCertificateProvider(
        string certificatePath,
        string? privateKeyPath,
        TimeProvider timeProvider,
        TimeSpan? pollInterval = null,
        ILogger<FileCertificateProvider>? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(certificatePath);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _certificatePath = certificatePath;
        _privateKeyPath = privateKeyPath;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _fingerprint = Fingerprint();
        _current = PemCertificateLoader.Load(certificatePath, privateKeyPath);
        if (pollInterval is { } interval && interval > TimeSpan.Zero)
        {
            _timer = timeProvider.CreateTimer(_ => ReloadIfChanged(), null, interval, interval);
        }
    }

    public TlsCertificate? Current => _current;

    /// <summary>Raised after a successful reload with the new certificate.</summary>
    public event Action<TlsCertificate>? Reloaded;

    /// <summary>Reloads the files now, changed or not. False (and the old certificate kept) when they are unusable.</summary>
    public bool Reload()
    {
        lock (_reloadLock)
        {
            return ReloadLocked(Fingerprint());
        }
    }

    public void Dispose() => _timer?.Dispose();

    private void ReloadIfChanged()
    {
        lock (_reloadLock)
        {
            var fingerprint = Fingerprint();
            if (fingerprint != _fingerprint)
            {
                ReloadLocked(fingerprint);
            }
        }
    }

    private bool ReloadLocked(string fingerprint)
    {
        TlsCertificate loaded;
        try
        {
            loaded = PemCertificateLoader.Load(_certificatePath, _privateKeyPath);
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            LogReloadFailed(_logger, _certificatePath, exception.Message);
            return false;
        }

        _fingerprint = fingerprint;
        _current = loaded;
        LogReloaded(_logger, _certificatePath, loaded.Subject, loaded.NotAfter);
        Reloaded?.Invoke(loaded);
        return true;
    }

    // Let's Encrypt renews by pointing the live/ symlinks at new archive/ files: follow links, compare target, time, size.
    private string Fingerprint() => Describe(_certificatePath) + "|" + (_privateKeyPath is null ? "" : Describe(_privateKeyPath));

    private static string Describe(string path)
    {
        try
        {
            var target = File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
            var info = new FileInfo(target);
            return info.Exists ? $"{target}:{info.LastWriteTimeUtc.Ticks}:{info.Length}" : $"{target}:missing";
        }
        catch (IOException)
        {
            return path + ":unreadable";
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "TLS certificate reloaded from {Path}: {Subject}, valid until {NotAfter:u}")]
    private static partial void LogReloaded(ILogger logger, string path, string subject, DateTime notAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TLS certificate reload from {Path} failed, keeping the previous one: {Reason}")]
    private static partial void LogReloadFailed(ILogger logger, string path, string reason);
}
