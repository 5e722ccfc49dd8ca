namespace Postino.Interop.Tests;

/// <summary>
/// Options that moved (issue 14): an old configuration stops <c>postino serve</c> and <c>check-config</c> with exit 78
/// and names the new key, rather than a bare "unknown option".
/// </summary>
public class MovedOptionTests
{
    [Theory]
    [InlineData("serve")]
    [InlineData("check-config")]
    public async Task Pop2_trusted_networks_names_the_login_policy_s_key(string command)
    {
        var folder = Directory.CreateTempSubdirectory("postino-moved-").FullName;
        try
        {
            var config = Path.Combine(folder, "postino.json");
            await File.WriteAllTextAsync(config, """{ "DataDir": "data", "Pop2": { "TrustedNetworks": "10.0.0.0/8" } }""");
            var (exit, _, stderr) = await PostinoProcess.RunAsync([command, "--config", config]);
            Assert.Equal(78, exit);
            Assert.Contains("Pop2:TrustedNetworks: this option moved to Auth:TrustedNetworks", stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
