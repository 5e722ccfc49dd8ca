using Microsoft.Extensions.DependencyInjection.Extensions;
using Postino.Protocols.Pop3.Lang;
using Postino.Server.Auth;
using Postino.Server.Pop3;
using Postino.Server.Pop3.Lang;
using Postino.Server.Tests.Pop3;

namespace Postino.Server.Tests.Lang;

/// <summary>LANG and UTF8 (RFC 6856) in the POP3 session.</summary>
public class Pop3LangTests
{
    [Fact]
    public async Task Lang_without_argument_lists_the_languages()
    {
        var (host, connection) = await ConnectAsync();
        await using var _ = host;
        await connection.SendAsync("LANG\r\n");
        Assert.Equal("+OK Language listing follows\r\n", await connection.ReadLineAsync());
        Assert.Equal("en English\r\n", await connection.ReadLineAsync());
        Assert.Equal("it Italiano\r\n", await connection.ReadLineAsync());
        Assert.Equal(".\r\n", await connection.ReadLineAsync());
    }

    [Fact]
    public async Task Lang_switches_the_replies_and_star_goes_back()
    {
        var (host, connection) = await ConnectAsync();
        await using var _ = host;
        await connection.SendAsync("LANG it-IT\r\nXYZZY\r\nPASS x\r\nLANG *\r\nXYZZY\r\n");
        Assert.Equal("+OK it Lingua cambiata\r\n", await connection.ReadLineAsync());
        Assert.Equal("-ERR Comando sconosciuto\r\n", await connection.ReadLineAsync());
        Assert.Equal("-ERR Invia prima USER\r\n", await connection.ReadLineAsync());
        Assert.Equal("+OK en Language changed\r\n", await connection.ReadLineAsync());
        Assert.Equal("-ERR Unknown command\r\n", await connection.ReadLineAsync());
    }

    [Fact]
    public async Task Italian_replies_are_utf8_on_the_wire()
    {
        var (host, connection) = await ConnectAsync();
        await using var _ = host;
        await connection.SendAsync("LANG it\r\nCAPA\r\n");
        await connection.ReadLineAsync();
        var capa = await connection.ReadBytesAsync("+OK Segue l'elenco delle funzionalità\r\n"u8.Length);
        Assert.Equal("+OK Segue l'elenco delle funzionalità\r\n"u8.ToArray(), capa);
    }

    [Fact]
    public async Task Unknown_language_is_refused_and_nothing_changes()
    {
        var (host, connection) = await ConnectAsync();
        await using var _ = host;
        await connection.SendAsync("LANG tlh\r\nXYZZY\r\n");
        Assert.Equal("-ERR Unsupported language\r\n", await connection.ReadLineAsync());
        Assert.Equal("-ERR Unknown command\r\n", await connection.ReadLineAsync());
    }

    [Fact]
    public async Task Lang_works_after_login_too()
    {
        var (host, connection) = await ConnectAsync();
        await using var _ = host;
        await connection.SendAsync("USER alice\r\nPASS pw\r\nLANG it\r\nDELE 9\r\n");
        await connection.ReadLineAsync();
        Assert.StartsWith("+OK Logged in", await connection.ReadLineAsync(), StringComparison.Ordinal);
        Assert.Equal("+OK it Lingua cambiata\r\n", await connection.ReadLineAsync());
        Assert.Equal("-ERR Il messaggio 9 non esiste\r\n", await connection.ReadLineAsync());
    }

    [Fact]
    public async Task Utf8_is_accepted_before_login_only_and_capa_announces_both()
    {
        var (host, connection) = await ConnectAsync();
        await using var _ = host;
        await connection.SendAsync("UTF8\r\n");
        Assert.Equal("+OK UTF-8 mode enabled\r\n", await connection.ReadLineAsync());
        Assert.True(Utf8Mode.IsOn(connection.Session));

        var capabilities = await Tls.Pop3StlsTests.CapaAsync(connection.ReadLineAsync, text => connection.SendAsync(text));
        Assert.Contains("UTF8 USER", capabilities);
        Assert.Contains("LANG", capabilities);

        await connection.SendAsync("USER alice\r\nPASS pw\r\nUTF8\r\n");
        await connection.ReadLineAsync();
        await connection.ReadLineAsync();
        Assert.Equal("-ERR Command not valid in this state\r\n", await connection.ReadLineAsync());
    }

    [Fact]
    public async Task Utf8_user_names_and_passwords_log_in()
    {
        var (host, connection) = await ConnectAsync();
        await using var _ = host;
        host.AddUser("zoë", "pässwörd ✓");
        await connection.SendAsync("UTF8\r\nUSER zoë\r\nPASS pässwörd ✓\r\n");
        await connection.ReadLineAsync();
        await connection.ReadLineAsync();
        Assert.StartsWith("+OK Logged in", await connection.ReadLineAsync(), StringComparison.Ordinal);
        Assert.Equal("zoë", connection.Session.User);
    }

    [Fact]
    public async Task Utf8_credentials_in_another_normalisation_form_still_match()
    {
        // The RFC 8265 preparation lives in the real password authenticator (shared with SASL and POP2 HELO).
        await using var host = new Pop3TestHost();
        host.AddUser("zo\u00EB", "p\u00E4ss");
        host.Configure = services =>
        {
            services.AddPop3International();
            services.RemoveAll<IPasswordAuthenticator>();
            services.AddPostinoAuthentication();
        };
        var connection = host.Connect();
        Assert.StartsWith("+OK", await connection.ReadLineAsync(), StringComparison.Ordinal);
        await connection.SendAsync("UTF8\r\nUSER zoe\u0308\r\nPASS pa\u0308ss\r\n");
        await connection.ReadLineAsync();
        await connection.ReadLineAsync();
        Assert.StartsWith("+OK Logged in", await connection.ReadLineAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_session_text_key_has_an_english_and_an_italian_text()
    {
        var italian = Pop3Languages.Select("it")!;
        Assert.Equal(Enum.GetValues<Pop3TextKey>().Order(), italian.Keys.Order());
    }

    [Fact]
    public void A_default_language_text_that_is_no_text_key_is_refused_at_load()
    {
        var texts = string.Join(',', Enum.GetNames<Pop3TextKey>().Select(k => $"\"{k}\":\"x\""));
        var complete = """{"tag":"en","name":"English","texts":{""" + texts + "}}";
        Assert.Equal(2, Pop3Languages.Build(ReplyCatalogue.FromJson([complete, complete.Replace("\"en\"", "\"de\"", StringComparison.Ordinal)])).Count);

        var misspelt = complete.Replace("\"Greeting\"", "\"Greting\"", StringComparison.Ordinal);
        var exception = Assert.Throws<FormatException>(() => Pop3Languages.Build(ReplyCatalogue.FromJson([misspelt])));
        Assert.Contains("'Greeting'", exception.Message, StringComparison.Ordinal);

        var extra = complete.Replace("{\"Greeting\"", "{\"Greting\":\"x\",\"Greeting\"", StringComparison.Ordinal);
        exception = Assert.Throws<FormatException>(() => Pop3Languages.Build(ReplyCatalogue.FromJson([extra])));
        Assert.Contains("'Greting'", exception.Message, StringComparison.Ordinal);
    }

    private static async Task<(Pop3TestHost Host, Pop3TestConnection Connection)> ConnectAsync()
    {
        var host = new Pop3TestHost();
        host.AddUser("alice", "pw");
        host.Configure = services => services.AddPop3International();
        var connection = host.Connect();
        Assert.StartsWith("+OK", await connection.ReadLineAsync(), StringComparison.Ordinal);
        return (host, connection);
    }
}
