using Postino.Cli.Serve;

namespace Postino.Cli.Tests.Serve;

/// <summary>
/// <c>serve</c> switches .NET's socket completions to the event threads, one per two processors, unless the operator
/// chose.
/// </summary>
public sealed class SocketEventThreadsTests
{
    [Fact]
    public void With_nothing_set_serve_turns_inline_completions_on()
    {
        var environment = new Dictionary<string, string>();

        SocketEventThreads.Enable(name => environment.GetValueOrDefault(name), (name, value) => environment[name] = value, processors: 8);

        Assert.Equal("1", environment["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"]);
        Assert.Equal("4", environment["DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT"]);
    }

    [Theory]
    [InlineData(1, "1")]
    [InlineData(2, "1")]
    [InlineData(3, "1")]
    [InlineData(64, "32")]
    public void One_event_thread_runs_per_two_processors_and_never_none(int processors, string threads)
    {
        var environment = new Dictionary<string, string>();

        SocketEventThreads.Enable(name => environment.GetValueOrDefault(name), (name, value) => environment[name] = value, processors);

        Assert.Equal(threads, environment["DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT"]);
    }

    [Fact]
    public void An_operators_own_thread_count_is_left_as_it_is()
    {
        var environment = new Dictionary<string, string> { ["DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT"] = "6" };

        SocketEventThreads.Enable(name => environment.GetValueOrDefault(name), (name, value) => environment[name] = value, processors: 2);

        Assert.Equal("6", environment["DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT"]);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    public void An_operators_own_value_is_left_as_it_is(string chosen)
    {
        var environment = new Dictionary<string, string> { ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = chosen };

        SocketEventThreads.Enable(name => environment.GetValueOrDefault(name), (name, value) => environment[name] = value, processors: 8);

        Assert.Equal(chosen, environment["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"]);
    }
}
