using Postino.Cli.Serve;

namespace Postino.Cli.Tests.Serve;

/// <summary><c>serve</c> switches .NET's socket completions to the event threads, unless the operator chose.</summary>
public sealed class SocketEventThreadsTests
{
    [Fact]
    public void With_nothing_set_serve_turns_inline_completions_on()
    {
        var environment = new Dictionary<string, string>();

        SocketEventThreads.Enable(name => environment.GetValueOrDefault(name), (name, value) => environment[name] = value);

        Assert.Equal("1", environment["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"]);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    public void An_operators_own_value_is_left_as_it_is(string chosen)
    {
        var environment = new Dictionary<string, string> { ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = chosen };

        SocketEventThreads.Enable(name => environment.GetValueOrDefault(name), (name, value) => environment[name] = value);

        Assert.Equal(chosen, environment["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"]);
    }
}
