using Postino.Cli.Fetch;
using Postino.Fetch.Fetching;
using Postino.Fetch.Protocol;

namespace Postino.Cli.Tests.Fetch;

public class FetchUrlTests
{
    [Theory]
    [InlineData("pop3://alice@mail.example.org", MailProtocol.Pop3, TlsMode.StartTlsIfOffered, "mail.example.org", 110, "alice")]
    [InlineData("pop3s://alice@mail.example.org", MailProtocol.Pop3, TlsMode.Implicit, "mail.example.org", 995, "alice")]
    [InlineData("pop2://bob@host:1109", MailProtocol.Pop2, TlsMode.None, "host", 1109, "bob")]
    [InlineData("pop3://alice%40example.org@127.0.0.1:2110/", MailProtocol.Pop3, TlsMode.StartTlsIfOffered, "127.0.0.1", 2110, "alice@example.org")]
    [InlineData("POP3S://a%20b@[::1]:9995", MailProtocol.Pop3, TlsMode.Implicit, "::1", 9995, "a b")]
    public void Parses_scheme_user_host_and_port(string text, MailProtocol protocol, TlsMode tls, string host, int port, string user)
    {
        var url = FetchUrl.TryParse(text, out var error);

        Assert.Null(error);
        Assert.Equal(new FetchUrl(protocol, tls, host, port, user), url);
    }

    [Theory]
    [InlineData("imap://alice@host", "Unknown scheme")]
    [InlineData("pop3://host", "needs a user")]
    [InlineData("pop3://alice@host:99999", "Malformed port")]
    [InlineData("alice@host", "not an account URL")]
    [InlineData("pop3://alice@", "needs a user")]
    public void Rejects_malformed_urls_with_a_reason(string text, string reason)
    {
        var url = FetchUrl.TryParse(text, out var error);

        Assert.Null(url);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
