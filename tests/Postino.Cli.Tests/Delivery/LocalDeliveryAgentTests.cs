using System.Text;
using Postino.Cli.Delivery;
using Postino.Server.Delivery;

namespace Postino.Cli.Tests.Delivery;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LocalDeliveryAgentTests : IDisposable
{
    private readonly TempDirectory _spool = new();
    private readonly MemoryMailStore _store = DeliveryFixtures.Store();

    [Fact]
    public async Task Delivers_to_every_user_with_return_path_from_f()
    {
        var exitCode = await DeliverAsync(["alice", "carol@example.org"], "s@remote.test", "Subject: x\n\nno final newline");

        Assert.Equal(SysExits.Ok, exitCode);
        Assert.Equal(
            [("alice", "Return-Path: <s@remote.test>\r\nSubject: x\n\nno final newline"), ("carol@example.org", "Return-Path: <s@remote.test>\r\nSubject: x\n\nno final newline")],
            _store.Deliveries.Select(d => (d.User, Encoding.UTF8.GetString(d.Message))));
        Assert.Empty(Directory.GetFiles(_spool.Path));
    }

    [Fact]
    public async Task Without_a_sender_the_message_is_stored_as_given()
    {
        Assert.Equal(SysExits.Ok, await DeliverAsync(["bob"], null, "Subject: y\r\n\r\nbody\r\n"));

        Assert.Equal("Subject: y\r\n\r\nbody\r\n", Encoding.UTF8.GetString(Assert.Single(_store.Deliveries).Message));
    }

    [Fact]
    public async Task A_leading_mbox_from_line_is_dropped_and_gives_the_sender()
    {
        Assert.Equal(SysExits.Ok, await DeliverAsync(["bob"], null, "From env@remote.test Fri Nov 27 12:00:00 2026\nSubject: z\n\nbody\n"));

        Assert.Equal("Return-Path: <env@remote.test>\r\nSubject: z\n\nbody\n", Encoding.UTF8.GetString(Assert.Single(_store.Deliveries).Message));
    }

    [Fact]
    public async Task Bounce_sender_is_an_empty_return_path()
    {
        Assert.Equal(SysExits.Ok, await DeliverAsync(["bob"], "<>", "x\n"));

        Assert.StartsWith("Return-Path: <>\r\n", Encoding.UTF8.GetString(Assert.Single(_store.Deliveries).Message), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_user_is_67_and_nobody_gets_the_message()
    {
        Assert.Equal(SysExits.NoUser, await DeliverAsync(["alice", "nobody"], null, "x\n"));

        Assert.Empty(_store.Deliveries);
    }

    [Theory]
    [InlineData("full", SysExits.TemporaryFailure)]
    [InlineData("broken", SysExits.TemporaryFailure)]
    [InlineData("perm", SysExits.CannotCreate)]
    [InlineData("lookupfail", SysExits.TemporaryFailure)]
    public async Task Store_failures_map_to_sysexits(string user, int expected)
    {
        Assert.Equal(expected, await DeliverAsync([user], null, "x\n"));
        Assert.Empty(_store.Deliveries);
    }

    [Fact]
    public async Task No_users_is_a_usage_error()
    {
        Assert.Equal(SysExits.Usage, await DeliverAsync([], null, "x\n"));
    }

    [Fact]
    public async Task A_large_message_streams_through_whole()
    {
        var body = new string('m', 300_000) + "\n";

        Assert.Equal(SysExits.Ok, await DeliverAsync(["alice"], null, body));

        Assert.Equal(body.Length, Assert.Single(_store.Deliveries).Message.Length);
    }

    [Theory]
    [InlineData("x@y\r\nX-Evil: 1")]
    [InlineData("x@y\nX-Evil: 1")]
    [InlineData("x@y\0")]
    [InlineData("x@y\tz")]
    public async Task Control_characters_in_the_sender_are_a_usage_error_and_nothing_is_stored(string sender)
    {
        Assert.Equal(SysExits.Usage, await DeliverAsync(["alice"], sender, "Subject: x\n\nbody\n"));

        Assert.Empty(_store.Deliveries);
    }

    [Fact]
    public async Task Control_characters_in_a_recipient_are_a_usage_error()
    {
        Assert.Equal(SysExits.Usage, await DeliverAsync(["alice", "bob\r\nX-Evil: 1"], null, "x\n"));

        Assert.Empty(_store.Deliveries);
    }

    [Fact]
    public async Task A_spool_folder_open_to_others_is_a_configuration_error_and_nothing_is_stored()
    {
        File.SetUnixFileMode(_spool.Path, (UnixFileMode)0b111_111_111);

        Assert.Equal(SysExits.Config, await DeliverAsync(["alice"], null, "x\n"));

        Assert.Empty(_store.Deliveries);
    }

    public void Dispose() => _spool.Dispose();

    private Task<int> DeliverAsync(string[] users, string? sender, string message)
    {
        var agent = new LocalDeliveryAgent(_store, new RecipientResolver(DeliveryFixtures.Users(), []), new FileMessageSpool(_spool.Path));
        return agent.DeliverAsync(users, sender, new MemoryStream(Encoding.UTF8.GetBytes(message)), CancellationToken.None);
    }
}
