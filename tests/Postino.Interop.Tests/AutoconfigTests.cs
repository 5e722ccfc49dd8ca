using System.Net;
using System.Text;
using System.Xml.Linq;

namespace Postino.Interop.Tests;

/// <summary>
/// <c>--autoconfig</c>: the documents Thunderbird's account wizard and Outlook's Autodiscover read, from a running
/// server, with the ports it really listens on and the retention policy as leaveMessagesOnServer.
/// </summary>
public class AutoconfigTests
{
    [Fact]
    public async Task Thunderbird_and_Outlook_get_the_pop3_settings_of_a_local_domain()
    {
        await using var server = await PostinoProcess.StartAsync(
            new Dictionary<string, string> { ["POSTINO__Retention__Default"] = "keep-days:30" },
            "--autoconfig", "127.0.0.1:0", "--domain", "example.org", "--host-name", "mail.example.org");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Port("autoconfig")}") };

        var xml = XDocument.Parse(await http.GetStringAsync(new Uri("/mail/config-v1.1.xml?emailaddress=alice%40example.org", UriKind.Relative)));
        var provider = xml.Root!.Element("emailProvider")!;
        Assert.Equal("1.1", xml.Root.Attribute("version")!.Value);
        Assert.Equal("example.org", provider.Element("domain")!.Value);
        var servers = provider.Elements("incomingServer").ToList();
        Assert.Equal(2, servers.Count);
        Assert.All(servers, s => Assert.Equal("pop3", s.Attribute("type")!.Value));
        Assert.All(servers, s => Assert.Equal("mail.example.org", s.Element("hostname")!.Value));
        Assert.All(servers, s => Assert.Equal("password-cleartext", s.Element("authentication")!.Value));
        Assert.All(servers, s => Assert.Equal("%EMAILLOCALPART%", s.Element("username")!.Value));
        Assert.Equal(("SSL", server.Port("pop3s")), (servers[0].Element("socketType")!.Value, int.Parse(servers[0].Element("port")!.Value, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(("STARTTLS", server.Port("pop3")), (servers[1].Element("socketType")!.Value, int.Parse(servers[1].Element("port")!.Value, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("true", servers[0].Element("pop3")!.Element("leaveMessagesOnServer")!.Value);
        Assert.Equal("30", servers[0].Element("pop3")!.Element("daysToLeaveMessagesOnServer")!.Value);

        // Thunderbird's wizard rejects a file without an outgoing server: the site's submission server, by default.
        var outgoing = provider.Element("outgoingServer")!;
        Assert.Equal(("smtp", "mail.example.org", "587", "STARTTLS"), (outgoing.Attribute("type")!.Value, outgoing.Element("hostname")!.Value, outgoing.Element("port")!.Value, outgoing.Element("socketType")!.Value));

        var wellKnown = await http.GetAsync(new Uri("/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=bob%40example.org", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, wellKnown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("/mail/config-v1.1.xml?emailaddress=eve%40foreign.test", UriKind.Relative))).StatusCode);

        const string request = """
            <?xml version="1.0" encoding="utf-8"?>
            <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
              <Request>
                <EMailAddress>alice@example.org</EMailAddress>
                <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>
              </Request>
            </Autodiscover>
            """;
        using var content = new StringContent(request, Encoding.UTF8, "text/xml");
        var answer = await http.PostAsync(new Uri("/autodiscover/autodiscover.xml", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var outlook = XDocument.Parse(await answer.Content.ReadAsStringAsync());
        XNamespace a = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";
        var protocols = outlook.Descendants(a + "Protocol").ToList();
        Assert.Equal("POP3", protocols[0].Element(a + "Type")!.Value);
        Assert.Equal(server.Port("pop3s").ToString(System.Globalization.CultureInfo.InvariantCulture), protocols[0].Element(a + "Port")!.Value);
        Assert.Equal("on", protocols[0].Element(a + "SSL")!.Value);
        Assert.Equal("alice", protocols[0].Element(a + "LoginName")!.Value);

        // Internet-facing: a body over the limit and a DTD are refused.
        using var big = new StringContent(new string('x', 64 * 1024), Encoding.UTF8, "text/xml");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await http.PostAsync(new Uri("/autodiscover/autodiscover.xml", UriKind.Relative), big)).StatusCode);
        using var dtd = new StringContent("<!DOCTYPE x [<!ENTITY e \"alice@example.org\">]><Autodiscover><Request><EMailAddress>&e;</EMailAddress></Request></Autodiscover>", Encoding.UTF8, "text/xml");
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync(new Uri("/autodiscover/autodiscover.xml", UriKind.Relative), dtd)).StatusCode);
    }
}
