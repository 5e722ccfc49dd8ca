using System.Text;
using Postino.Protocols.Sasl;

namespace Postino.Protocols.Tests.Sasl;

public class LoginMechanismTests
{
    private readonly FakeCredentials _credentials = new FakeCredentials().WithPassword("tim", "tanstaaf taan");

    [Fact]
    public async Task Asks_user_then_password()
    {
        var mechanism = new LoginMechanism(_credentials);
        Assert.Equal("Username:", Text(await mechanism.StartAsync(null, default)));
        Assert.Equal("Password:", Text(await mechanism.StepAsync("tim"u8.ToArray(), default)));
        Assert.Equal(new SaslStep.Success("tim", null), VerdictFree.Of(await mechanism.StepAsync(Encoding.UTF8.GetBytes("tanstaaf taan"), default)));
    }

    [Fact]
    public async Task Initial_response_is_the_user_name()
    {
        var mechanism = new LoginMechanism(_credentials);
        Assert.Equal("Password:", Text(await mechanism.StartAsync("tim"u8.ToArray(), default)));
        Assert.Equal(new SaslStep.Failure(SaslFailureReason.BadCredentials, "tim"),
            await mechanism.StepAsync("nope"u8.ToArray(), default));
    }

    [Fact]
    public async Task Empty_initial_response_still_asks_for_the_user()
    {
        var mechanism = new LoginMechanism(_credentials);
        Assert.Equal("Username:", Text(await mechanism.StartAsync([], default)));
    }

    [Fact]
    public async Task Empty_user_is_malformed()
    {
        var mechanism = new LoginMechanism(_credentials);
        await mechanism.StartAsync(null, default);
        Assert.Equal(new SaslStep.Failure(SaslFailureReason.MalformedResponse, null), await mechanism.StepAsync([], default));
    }

    [Fact]
    public async Task Empty_password_is_malformed_and_names_the_user()
    {
        var mechanism = new LoginMechanism(_credentials);
        await mechanism.StartAsync("tim"u8.ToArray(), default);
        Assert.Equal(new SaslStep.Failure(SaslFailureReason.MalformedResponse, "tim"), await mechanism.StepAsync([], default));
        Assert.Empty(_credentials.Lookups);
    }

    private static string Text(SaslStep step) => Encoding.ASCII.GetString(Assert.IsType<SaslStep.Challenge>(step).Data);
}
