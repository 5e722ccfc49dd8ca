using Microsoft.Extensions.Time.Testing;
using Postino.Server.Tls;

namespace Postino.Server.Tests.Tls;

public sealed class FileCertificateProviderTests : IDisposable
{
    private readonly string _folder = TestCertificates.TemporaryFolder();
    private readonly FakeTimeProvider _clock = new();

    private string CertificatePath => Path.Combine(_folder, "fullchain.pem");

    private string KeyPath => Path.Combine(_folder, "privkey.pem");

    [Fact]
    public void Changed_files_are_picked_up_at_the_next_poll()
    {
        var first = TestCertificates.WriteLetsEncryptLayout(_folder, "one.example");
        using var provider = new FileCertificateProvider(CertificatePath, KeyPath, _clock, TimeSpan.FromSeconds(30));
        var reloads = 0;
        provider.Reloaded += _ => reloads++;
        Assert.Equal(first.Thumbprint, provider.Current!.Certificate.Thumbprint);

        var second = Renew("two.example");
        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(first.Thumbprint, provider.Current!.Certificate.Thumbprint);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(second.Thumbprint, provider.Current!.Certificate.Thumbprint);
        Assert.Equal(1, reloads);

        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, reloads);
    }

    [Fact]
    public void Renewal_through_symlinks_is_seen()
    {
        var archive = Path.Combine(_folder, "archive");
        Directory.CreateDirectory(archive);
        TestCertificates.WriteLetsEncryptLayout(archive, "one.example");
        File.Move(Path.Combine(archive, "fullchain.pem"), Path.Combine(archive, "fullchain1.pem"));
        File.Move(Path.Combine(archive, "privkey.pem"), Path.Combine(archive, "privkey1.pem"));
        File.CreateSymbolicLink(CertificatePath, Path.Combine(archive, "fullchain1.pem"));
        File.CreateSymbolicLink(KeyPath, Path.Combine(archive, "privkey1.pem"));
        using var provider = new FileCertificateProvider(CertificatePath, KeyPath, _clock, TimeSpan.FromSeconds(30));

        var second = TestCertificates.WriteLetsEncryptLayout(archive, "two.example");
        File.Delete(CertificatePath);
        File.Delete(KeyPath);
        File.CreateSymbolicLink(CertificatePath, Path.Combine(archive, "fullchain.pem"));
        File.CreateSymbolicLink(KeyPath, Path.Combine(archive, "privkey.pem"));
        _clock.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(second.Thumbprint, provider.Current!.Certificate.Thumbprint);
    }

    [Fact]
    public void Half_written_renewal_keeps_the_old_certificate_and_is_retried()
    {
        var first = TestCertificates.WriteLetsEncryptLayout(_folder, "one.example");
        using var provider = new FileCertificateProvider(CertificatePath, KeyPath, _clock, TimeSpan.FromSeconds(30));

        var keyBefore = File.ReadAllText(KeyPath);
        var second = TestCertificates.WriteLetsEncryptLayout(_folder, "two.example");
        var secondKey = File.ReadAllText(KeyPath);
        File.WriteAllText(KeyPath, keyBefore);
        File.SetLastWriteTimeUtc(KeyPath, DateTime.UtcNow.AddMinutes(1));
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(first.Thumbprint, provider.Current!.Certificate.Thumbprint);

        File.WriteAllText(KeyPath, secondKey);
        File.SetLastWriteTimeUtc(KeyPath, DateTime.UtcNow.AddMinutes(2));
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(second.Thumbprint, provider.Current!.Certificate.Thumbprint);
    }

    [Fact]
    public void Reload_on_demand_without_polling()
    {
        TestCertificates.WriteLetsEncryptLayout(_folder, "one.example");
        using var provider = new FileCertificateProvider(CertificatePath, KeyPath, _clock);
        var second = Renew("two.example");
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.NotEqual(second.Thumbprint, provider.Current!.Certificate.Thumbprint);

        Assert.True(provider.Reload());
        Assert.Equal(second.Thumbprint, provider.Current!.Certificate.Thumbprint);

        File.WriteAllText(CertificatePath, "garbage");
        Assert.False(provider.Reload());
        Assert.Equal(second.Thumbprint, provider.Current!.Certificate.Thumbprint);
    }

    [Fact]
    public void Unusable_files_at_start_up_throw() =>
        Assert.ThrowsAny<Exception>(() => new FileCertificateProvider(CertificatePath, KeyPath, _clock));

    [Fact]
    public async Task Reload_leaves_sessions_already_in_tls_alone()
    {
        var first = TestCertificates.WriteLetsEncryptLayout(_folder, "one.example");
        using var provider = new FileCertificateProvider(CertificatePath, KeyPath, _clock);
        var settings = new TlsServerSettings(provider);

        var old = new InMemoryConnection();
        var oldUpgrade = StartTls.UpgradeAsync(old.Server, settings, default);
        await using var oldClient = await InMemoryConnection.ClientHandshakeAsync(old.Client, first);
        await using var oldServer = await oldUpgrade;

        var second = Renew("two.example");
        Assert.True(provider.Reload());

        var fresh = new InMemoryConnection();
        var freshUpgrade = StartTls.UpgradeAsync(fresh.Server, settings, default);
        await using var freshClient = await InMemoryConnection.ClientHandshakeAsync(fresh.Client, second);
        await using var freshServer = await freshUpgrade;

        await oldServer.Output.WriteAsync("+OK still here\r\n"u8.ToArray());
        Assert.Equal("+OK still here", await InMemoryConnection.ReadLineAsync(oldClient));
        Assert.Equal(first.Thumbprint, oldClient.RemoteCertificate!.GetCertHashString());
        Assert.Equal(second.Thumbprint, freshClient.RemoteCertificate!.GetCertHashString());
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // Renewals land with a new modification time; make sure it differs even on a coarse file-system clock.
    private System.Security.Cryptography.X509Certificates.X509Certificate2 Renew(string commonName)
    {
        var renewed = TestCertificates.WriteLetsEncryptLayout(_folder, commonName);
        File.SetLastWriteTimeUtc(CertificatePath, DateTime.UtcNow.AddMinutes(5));
        return renewed;
    }
}
