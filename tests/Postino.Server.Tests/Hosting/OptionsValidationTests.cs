using Postino.Server.Hosting;
using Postino.Server.Pop3;

namespace Postino.Server.Tests.Hosting;

public class OptionsValidationTests
{
    [Fact]
    public void Default_options_are_valid()
    {
        Assert.Empty(new Pop3Options().Validate());
        Assert.Empty(new PostinoServerOptions().Validate());
    }

    [Fact]
    public void Each_bad_pop3_option_is_named()
    {
        var options = new Pop3Options
        {
            Listen = "localhost",
            MaxLineLength = 100,
            MaxBadCommands = 0,
            MaxBadCommandsBeforeLogin = 0,
            IdleTimeout = TimeSpan.Zero,
            LoginDelaySeconds = -1,
            Implementation = "",
        };

        var errors = options.Validate();

        Assert.Equal(
            ["Pop3:Listen:", "Pop3:MaxLineLength:", "Pop3:MaxBadCommands:", "Pop3:MaxBadCommandsBeforeLogin:",
                "Pop3:IdleTimeout:", "Pop3:LoginDelaySeconds:", "Pop3:Implementation:"],
            errors.Select(e => e[..(e.IndexOf(": ", StringComparison.Ordinal) + 1)]));
    }

    [Fact]
    public void Bad_server_options_are_named()
    {
        var errors = new PostinoServerOptions
        {
            HostName = "a b",
            ShutdownGracePeriod = TimeSpan.FromSeconds(-1),
            MemoryTrimInterval = TimeSpan.FromHours(2),
        }.Validate();

        Assert.Collection(
            errors,
            e => Assert.StartsWith("Server:HostName:", e, StringComparison.Ordinal),
            e => Assert.StartsWith("Server:ShutdownGracePeriod:", e, StringComparison.Ordinal),
            e => Assert.StartsWith("Server:MemoryTrimInterval:", e, StringComparison.Ordinal));
    }

    [Fact]
    public void The_builder_refuses_bad_options_and_names_them()
    {
        var error = Assert.Throws<PostinoOptionsException>(() => new PostinoServerBuilder().AddPop3(new Pop3Options { IdleTimeout = TimeSpan.Zero }));

        Assert.Contains("Pop3:IdleTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_listener_address_names_the_listener()
    {
        var error = Assert.Throws<PostinoOptionsException>(() =>
            new PostinoServerBuilder().AddListener<Pop3ConnectionHandler>("pop3s", "nowhere:99"));

        Assert.Equal(["pop3s: \"nowhere\" is not an IP address (write 127.0.0.1, [::1], localhost or *)"], error.Errors);
    }

    [Fact]
    public void A_server_without_listeners_is_refused()
    {
        var builder = new PostinoServerBuilder().AddPop3(new Pop3Options { Listen = "none" });

        var error = Assert.Throws<PostinoOptionsException>(builder.Build);

        Assert.Contains("no listener", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_listeners_cannot_share_a_name()
    {
        var builder = new PostinoServerBuilder().AddListener<Pop3ConnectionHandler>("pop3", "127.0.0.1:0");

        Assert.Throws<PostinoOptionsException>(() => builder.AddListener<Pop3ConnectionHandler>("POP3", "127.0.0.1:0"));
    }
}
