namespace Postino.Interop.Tests;

/// <summary>
/// The auth cache of a running <c>postino serve</c> (Auth:CacheTtl, on by default): a password it remembers stops
/// working as soon as <c>postino user passwd</c> or <c>postino user remove</c> changes the users file.
/// </summary>
public class AuthCacheTests
{
    [Fact]
    public async Task User_passwd_and_user_remove_invalidate_a_remembered_password()
    {
        await using var server = await PostinoProcess.StartAsync();
        Assert.StartsWith("+OK", await LoginAsync(server, server.DemoPassword), StringComparison.Ordinal);
        Assert.StartsWith("+OK", await LoginAsync(server, server.DemoPassword), StringComparison.Ordinal);

        await PostinoAsync(server, "new secret\n", "user", "passwd", "demo", "--password-stdin");
        Assert.StartsWith("-ERR", await LoginAsync(server, server.DemoPassword), StringComparison.Ordinal);
        Assert.StartsWith("+OK", await LoginAsync(server, "new secret"), StringComparison.Ordinal);
        Assert.StartsWith("+OK", await LoginAsync(server, "new secret"), StringComparison.Ordinal);

        await PostinoAsync(server, null, "user", "remove", "demo");
        Assert.StartsWith("-ERR", await LoginAsync(server, "new secret"), StringComparison.Ordinal);
    }

    private static async Task PostinoAsync(PostinoProcess server, string? stdin, params string[] args)
    {
        var (exit, _, stderr) = await PostinoProcess.RunAsync([.. args, "--data-dir", server.DataDir], stdin);
        Assert.True(exit == 0, stderr);
    }

    private static async Task<string> LoginAsync(PostinoProcess server, string password)
    {
        using var client = await LineClient.ConnectAsync(server.Port("pop3"));
        await client.ReadLineAsync();
        await client.CommandAsync("USER demo");
        var reply = await client.CommandAsync("PASS " + password);
        if (reply.StartsWith("+OK", StringComparison.Ordinal))
        {
            await client.CommandAsync("QUIT");
        }

        return reply;
    }
}
