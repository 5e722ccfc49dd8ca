namespace Postino.Interop.Tests;

/// <summary>The admission options of <c>postino serve</c>: a bad value stops the start (exit 78) and names the option.</summary>
public class AdmissionConfigurationTests
{
    [Theory]
    [InlineData("""{ "DataDir": "data", "Pop3": { "ProxyProtocol": true } }""", "Pop3:ProxyProtocol: needs Limits:TrustedProxies")]
    [InlineData("""{ "DataDir": "data", "Smtp": { "TotalConnections": 0 } }""", "Smtp:TotalConnections: must be at least 1")]
    [InlineData("""{ "DataDir": "data", "Pop2": { "ConnectionsPerAddress": "many" } }""", "Pop2:ConnectionsPerAddress")]
    [InlineData("""{ "DataDir": "data", "Limits": { "TrustedProxies": "10.0.0.0/8, haproxy" } }""", "Limits:TrustedProxies")]
    [InlineData("""{ "DataDir": "data", "Limits": { "PendingHandshakes": 0 } }""", "Limits:PendingHandshakes: must be at least 1")]
    [InlineData("""{ "DataDir": "data", "Limits": { "HandshakeTimeout": "00:00:00" } }""", "Limits:HandshakeTimeout")]
    [InlineData("""{ "DataDir": "data", "Lmtp": { "MaxConnectionsPerAddress": 5 } }""", "Lmtp:MaxConnectionsPerAddress: unknown option")]
    [InlineData("""{ "DataDir": "data", "Auth": { "CacheTtl": "-00:01:00" } }""", "Auth:CacheTtl")]
    public async Task A_bad_admission_option_stops_the_start_and_names_it(string json, string expected)
    {
        var folder = Directory.CreateTempSubdirectory("postino-admission-").FullName;
        try
        {
            var config = Path.Combine(folder, "postino.json");
            await File.WriteAllTextAsync(config, json);
            var (exit, _, stderr) = await PostinoProcess.RunAsync(["serve", "--config", config]);
            Assert.Equal(78, exit);
            Assert.Contains(expected, stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
