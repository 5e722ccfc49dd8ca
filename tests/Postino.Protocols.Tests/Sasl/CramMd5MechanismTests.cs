using System.Text;
using Postino.Protocols.Sasl;

namespace Postino.Protocols.Tests.Sasl;

public class CramMd5MechanismTests
{
    private const string Rfc2195Challenge = "<1896.697170952@postoffice.reston.mci.net>";

    private readonly FakeCredentials _credentials = new FakeCredentials().WithPassword("tim", "tanstaaftanstaaf");

    private CramMd5Mechanism Rfc2195Mechanism() =>
        new(_credentials, "postoffice.reston.mci.net", _ => Rfc2195Challenge);

    [Fact]
    public async Task Rfc2195_example()
    {
        var mechanism = Rfc2195Mechanism();
        var challenge = Assert.IsType<SaslStep.Challenge>(await mechanism.StartAsync(null, default));
        Assert.Equal("PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+", SaslBase64.Encode(challenge.Data));

        var step = await mechanism.StepAsync("tim b913a602c7eda7a495b4e6e7334d3890"u8.ToArray(), default);
        Assert.Equal(new SaslStep.Success("tim", null), step);
    }

    [Fact]
    public async Task Upper_case_hex_digest_is_accepted()
    {
        var mechanism = Rfc2195Mechanism();
        await mechanism.StartAsync(null, default);
        Assert.IsType<SaslStep.Success>(await mechanism.StepAsync("tim B913A602C7EDA7A495B4E6E7334D3890"u8.ToArray(), default));
    }

    [Fact]
    public async Task Wrong_digest_is_bad_credentials()
    {
        var mechanism = Rfc2195Mechanism();
        await mechanism.StartAsync(null, default);
        Assert.Equal(new SaslStep.Failure(SaslFailureReason.BadCredentials, "tim"),
            await mechanism.StepAsync("tim b913a602c7eda7a495b4e6e7334d3891"u8.ToArray(), default));
    }

    [Fact]
    public async Task Unknown_user_is_bad_credentials()
    {
        var mechanism = Rfc2195Mechanism();
        await mechanism.StartAsync(null, default);
        Assert.Equal(new SaslStep.Failure(SaslFailureReason.BadCredentials, "bob"),
            await mechanism.StepAsync("bob b913a602c7eda7a495b4e6e7334d3890"u8.ToArray(), default));
    }

    [Theory]
    [InlineData("b913a602c7eda7a495b4e6e7334d3890")]
    [InlineData("tim b913a602c7eda7a495b4e6e7334d389")]
    [InlineData("tim zz13a602c7eda7a495b4e6e7334d3890")]
    [InlineData(" b913a602c7eda7a495b4e6e7334d3890")]
    public async Task Malformed_answers(string answer)
    {
        var mechanism = Rfc2195Mechanism();
        await mechanism.StartAsync(null, default);
        var failure = Assert.IsType<SaslStep.Failure>(await mechanism.StepAsync(Encoding.ASCII.GetBytes(answer), default));
        Assert.Equal(SaslFailureReason.MalformedResponse, failure.Reason);
    }

    [Fact]
    public async Task Initial_response_is_refused()
    {
        var failure = Assert.IsType<SaslStep.Failure>(await Rfc2195Mechanism().StartAsync("tim"u8.ToArray(), default));
        Assert.Equal(SaslFailureReason.MalformedResponse, failure.Reason);
    }

    [Fact]
    public async Task Default_challenges_are_unique_and_name_the_host()
    {
        var first = Assert.IsType<SaslStep.Challenge>(await new CramMd5Mechanism(_credentials, "mail.example").StartAsync(null, default));
        var second = Assert.IsType<SaslStep.Challenge>(await new CramMd5Mechanism(_credentials, "mail.example").StartAsync(null, default));
        var text = Encoding.ASCII.GetString(first.Data);
        Assert.StartsWith("<", text);
        Assert.EndsWith("@mail.example>", text);
        Assert.NotEqual(first.Data, second.Data);
    }
}
