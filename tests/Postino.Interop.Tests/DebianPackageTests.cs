namespace Postino.Interop.Tests;

/// <summary>
/// scripts/package-deb.sh end to end: lintian finds no error, systemd-analyze verifies the unit, and the package
/// extracted into a temporary root runs <c>postino --version</c> and serves a login with its shipped configuration
/// (ports changed to free ones). Publishes once, from the Release build.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class DebianPackageTests
{
    [Fact]
    public async Task The_package_passes_lintian_and_systemd_and_its_program_serves_a_login()
    {
        var work = Directory.CreateTempSubdirectory("postino-deb-").FullName;
        try
        {
            var dist = Path.Combine(work, "dist");
            var (exit, stdout, stderr) = await ExternalProgram.RunAsync(
                "bash", [Path.Combine(RepositoryRoot.Path, "scripts", "package-deb.sh"), "--no-build", "--output", dist], timeoutSeconds: 900);
            Assert.True(exit == 0, stdout + stderr);
            var deb = Assert.Single(Directory.GetFiles(dist, "postino_*_amd64.deb"));

            var lintian = await ExternalProgram.RunAsync("lintian", ["--no-tag-display-limit", deb], timeoutSeconds: 300);
            Assert.DoesNotContain(lintian.Stdout.Split('\n'), line => line.StartsWith("E:", StringComparison.Ordinal));
            Assert.True(lintian.ExitCode == 0, lintian.Stdout + lintian.Stderr);

            var root = Path.Combine(work, "root");
            Assert.Equal(0, (await ExternalProgram.RunAsync("dpkg-deb", ["-x", deb, root])).ExitCode);
            await VerifyUnitAsync(root);

            var program = Path.Combine(root, "usr", "bin", "postino");
            var version = await ExternalProgram.RunAsync(program, ["--version"]);
            Assert.Equal(0, version.ExitCode);
            Assert.Matches(@"^\d+\.\d+\.\d+", version.Stdout);

            await ServeALoginAsync(root, program, work);
            await PackagedDeliver.CheckAsync(root, work);
            await PackagedDeliver.CheckPostgresAsync(root, work);
            await PackagedOneShot.CheckAsync(root, work);
            await PackagedOneShot.CheckPostgresAsync(root, work);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task VerifyUnitAsync(string root)
    {
        // systemd-analyze checks that ExecStart/ExecReload exist and that the targets the unit names exist, inside
        // --root: give it the host's targets and kill beside the extracted package.
        var units = Path.Combine(root, "lib", "systemd", "system");
        foreach (var target in Directory.GetFiles("/lib/systemd/system", "*.target").Concat(Directory.GetFiles("/lib/systemd/system", "*.slice")))
        {
            File.Copy(target, Path.Combine(units, Path.GetFileName(target)), overwrite: true);
        }

        Directory.CreateDirectory(Path.Combine(root, "bin"));
        File.Copy("/bin/kill", Path.Combine(root, "bin", "kill"));
        var verify = await ExternalProgram.RunAsync("systemd-analyze", [$"--root={root}", "verify", "/lib/systemd/system/postino.service"]);
        Assert.True(verify.ExitCode == 0, verify.Stdout + verify.Stderr);
        Assert.Equal("", verify.Stderr.Trim());
    }

    private static async Task ServeALoginAsync(string root, string program, string work)
    {
        var data = Path.Combine(work, "data");
        var shipped = await File.ReadAllTextAsync(Path.Combine(root, "etc", "postino", "postino.json"));
        var adjusted = shipped.Replace("/var/lib/postino", data, StringComparison.Ordinal);
        foreach (var address in new[] { "*:110", "*:995", "*:109", "127.0.0.1:24", "127.0.0.1:9110" })
        {
            adjusted = adjusted.Replace($"\"{address}\"", "\"127.0.0.1:0\"", StringComparison.Ordinal);
        }

        Assert.DoesNotContain("*:", adjusted, StringComparison.Ordinal);
        var config = Path.Combine(work, "postino.json");
        await File.WriteAllTextAsync(config, adjusted);
        var add = await ExternalProgram.RunAsync(program, ["user", "add", "alice", "--password-stdin", "--config", config], input: "s3cret-pw\n");
        Assert.True(add.ExitCode == 0, add.Stdout + add.Stderr);

        await using var server = await PostinoProcess.StartProgramAsync(program, ["serve", "--config", config], Path.Combine(work, "unused"));
        using var session = await LineClient.ConnectAsync(server.Port("pop3"));
        Assert.StartsWith("+OK", await session.ReadLineAsync(), StringComparison.Ordinal);
        Assert.StartsWith("+OK", await session.CommandAsync("USER alice"), StringComparison.Ordinal);
        Assert.StartsWith("+OK", await session.CommandAsync("PASS s3cret-pw"), StringComparison.Ordinal);
        Assert.StartsWith("+OK", await session.CommandAsync("QUIT"), StringComparison.Ordinal);
        Assert.Equal(0, await server.StopAsync());
    }
}
