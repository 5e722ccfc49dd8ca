namespace Postino.Interop.Tests;

/// <summary>The shared connection caps (Limits:ConnectionsPerAddress) as a client over the cap sees them.</summary>
public class ConnectionCapTests
{
    [Fact]
    public async Task Over_the_per_address_cap_pop3_answers_sys_temp_and_closes_and_a_freed_slot_is_reusable()
    {
        await using var server = await PostinoProcess.StartAsync(new Dictionary<string, string>
        {
            ["POSTINO__Limits__ConnectionsPerAddress"] = "2",
        });
        var port = server.Port("pop3");
        using var first = await LineClient.ConnectAsync(port);
        Assert.StartsWith("+OK", await first.ReadLineAsync(), StringComparison.Ordinal);
        using (var second = await LineClient.ConnectAsync(port))
        {
            Assert.StartsWith("+OK", await second.ReadLineAsync(), StringComparison.Ordinal);
            using var third = await LineClient.ConnectAsync(port);
            Assert.StartsWith("-ERR [SYS/TEMP]", await third.ReadLineAsync(), StringComparison.Ordinal);
            await Assert.ThrowsAsync<IOException>(third.ReadLineAsync);
            Assert.StartsWith("+OK", await second.CommandAsync("QUIT"), StringComparison.Ordinal);

            // The session has ended when the server closes the connection.
            await Assert.ThrowsAsync<IOException>(second.ReadLineAsync);
        }

        // The server frees the slot as the session ends (just after its close, which the client may see first); a
        // client retrying gets in. Refusals are answered in well under a millisecond, so the retries are bounded by
        // time, not by a count that a loaded machine could exhaust before the slot is released.
        var admitted = false;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!admitted && DateTime.UtcNow < deadline)
        {
            using var fourth = await LineClient.ConnectAsync(port);
            admitted = (await fourth.ReadLineAsync()).StartsWith("+OK", StringComparison.Ordinal);
        }

        Assert.True(admitted);
    }
}
