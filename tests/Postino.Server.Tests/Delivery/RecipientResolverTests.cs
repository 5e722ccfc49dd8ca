using Postino.Protocols.Smtp;
using Postino.Server.Delivery;

namespace Postino.Server.Tests.Delivery;

public sealed class RecipientResolverTests
{
    private readonly RecipientResolver _resolver = new(DeliveryFixtures.Users(), ["example.org", "localhost"]);

    [Theory]
    [InlineData("alice", "example.org", true, RecipientStatus.Accepted, "alice")]
    [InlineData("ALICE", "example.org", true, RecipientStatus.Accepted, "alice")]
    [InlineData("carol", "example.org", true, RecipientStatus.Accepted, "carol@example.org")]
    [InlineData("alice", "foreign.test", true, RecipientStatus.NotLocal, null)]
    [InlineData("alice", "foreign.test", false, RecipientStatus.Accepted, "alice")]
    [InlineData("nobody", "example.org", true, RecipientStatus.UnknownUser, null)]
    [InlineData("lookupfail", "example.org", true, RecipientStatus.TemporaryFailure, null)]
    [InlineData("postmaster", "", true, RecipientStatus.Accepted, "postmaster")]
    public async Task Resolves(string local, string domain, bool requireLocalDomain, RecipientStatus status, string? user)
    {
        var resolution = await _resolver.ResolveAsync(new SmtpAddress(local, domain), requireLocalDomain, CancellationToken.None);

        Assert.Equal(new RecipientResolution(status, user), resolution);
    }

    [Theory]
    [InlineData("bob", RecipientStatus.Accepted)]
    [InlineData("carol@example.org", RecipientStatus.Accepted)]
    [InlineData("bob@anything.test", RecipientStatus.Accepted)]
    [InlineData("nobody", RecipientStatus.UnknownUser)]
    public async Task Resolves_bare_user_names(string name, RecipientStatus status)
    {
        Assert.Equal(status, (await _resolver.ResolveUserAsync(name, CancellationToken.None)).Status);
    }

    [Theory]
    [InlineData("+", "alice+lists", "example.org", RecipientStatus.Accepted, "alice")]
    [InlineData("+", "carol+x", "example.org", RecipientStatus.Accepted, "carol@example.org")]
    [InlineData("+", "Alice+X", "example.org", RecipientStatus.Accepted, "alice")]
    [InlineData("+", "plus+name", "example.org", RecipientStatus.Accepted, "plus+name")]
    [InlineData("+", "nobody+x", "example.org", RecipientStatus.UnknownUser, null)]
    [InlineData("+-", "bob-news", "example.org", RecipientStatus.Accepted, "bob")]
    [InlineData("", "alice+lists", "example.org", RecipientStatus.UnknownUser, null)]
    [InlineData("-", "alice+lists", "example.org", RecipientStatus.UnknownUser, null)]
    public async Task Drops_a_recipient_detail_when_no_user_has_the_whole_name(string delimiter, string local, string domain, RecipientStatus status, string? user)
    {
        var users = new MemoryUserDirectory("alice", "bob", "carol@example.org", "plus+name", "plus");
        var resolver = new RecipientResolver(users, ["example.org"], new DeliveryOptions { RecipientDelimiter = delimiter });

        var resolution = await resolver.ResolveAsync(new SmtpAddress(local, domain), requireLocalDomain: true, CancellationToken.None);

        Assert.Equal(new RecipientResolution(status, user), resolution);
    }
}
