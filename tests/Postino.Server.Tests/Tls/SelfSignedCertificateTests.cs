using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using Postino.Server.Tls;

namespace Postino.Server.Tests.Tls;

public sealed class SelfSignedCertificateTests : IDisposable
{
    private readonly string _folder = TestCertificates.TemporaryFolder();

    [Fact]
    public void Names_localhost_loopbacks_and_the_host()
    {
        var certificate = SelfSignedCertificate.Create("mail.example", DateTimeOffset.UtcNow, TimeSpan.FromDays(1)).Certificate;
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["localhost", "mail.example"], names.EnumerateDnsNames());
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], names.EnumerateIPAddresses());
        Assert.True(certificate.MatchesHostname("localhost"));
        Assert.True(certificate.MatchesHostname("127.0.0.1"));
        Assert.True(certificate.HasPrivateKey);
    }

    [Fact]
    public void First_start_writes_pem_files_that_load_and_later_starts_reuse_them()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        var (certificatePath, keyPath) = SelfSignedCertificate.EnsurePemFiles(_folder, "mail.example", clock);
        var first = PemCertificateLoader.Load(certificatePath, keyPath);
        Assert.Equal(new DateTime(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc), first.Certificate.NotBefore.ToUniversalTime());

        clock.Advance(TimeSpan.FromDays(1));
        SelfSignedCertificate.EnsurePemFiles(_folder, "mail.example", clock);
        Assert.Equal(first.Certificate.Thumbprint, PemCertificateLoader.Load(certificatePath, keyPath).Certificate.Thumbprint);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Private_key_is_readable_by_the_owner_only()
    {
        var (_, keyPath) = SelfSignedCertificate.EnsurePemFiles(_folder, "localhost", TimeProvider.System);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyPath));
        Assert.DoesNotContain(Directory.GetFiles(_folder), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
