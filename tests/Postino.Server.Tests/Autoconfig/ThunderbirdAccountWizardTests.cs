using System.Globalization;
using System.Xml.Linq;
using Postino.Server.Autoconfig;

namespace Postino.Server.Tests.Autoconfig;

/// <summary>
/// Our config-v1.1.xml against what Thunderbird's account wizard accepts, as its reader
/// (comm-central mail/components/accountcreation/modules/readFromXML.sys.mjs, read for these rules, not copied)
/// checks it: a clientConfig with an emailProvider whose id and domains are host names; at least one incomingServer
/// of a known type with a host name, a port in 1-65535, a username, a socketType of plain/SSL/STARTTLS and an
/// authentication it maps; pop3 options that are booleans and an integer; and at least one outgoingServer of type
/// smtp with the same checks (a username when the authentication is a password). A file that fails any of these is
/// thrown away by the wizard, which then guesses.
/// </summary>
public sealed class ThunderbirdAccountWizardTests
{
    private static readonly string[] IncomingAuthentication = ["password-cleartext", "plain", "password-encrypted", "secure", "GSSAPI", "NTLM", "OAuth2"];
    private static readonly string[] OutgoingAuthentication = ["none", "client-IP-address", "smtp-after-pop", .. IncomingAuthentication];
    private static readonly string[] SocketTypes = ["plain", "SSL", "STARTTLS"];

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(30)]
    public void The_document_passes_every_check_of_the_wizards_reader(int? keepDays)
    {
        var offer = new MailSettingsOffer
        {
            HostName = "mail.example.org",
            Pop3Port = 110,
            Pop3sPort = 995,
            Domains = ["example.org"],
            Submission = ("smtp.example.org", 587),
            KeepDays = _ => keepDays,
        };

        var problems = WizardProblems(XDocument.Parse(AutoconfigDocuments.Thunderbird(offer, "example.org")));

        Assert.Empty(problems);
    }

    [Fact]
    public void Without_an_outgoing_server_the_wizard_rejects_the_file()
    {
        var offer = new MailSettingsOffer { HostName = "mail.example.org", Pop3sPort = 995, Domains = ["example.org"] };

        Assert.Contains("no usable outgoingServer", WizardProblems(XDocument.Parse(AutoconfigDocuments.Thunderbird(offer, "example.org"))));
    }

    [Fact]
    public void Submission_on_465_is_implicit_tls()
    {
        var offer = new MailSettingsOffer { HostName = "mail.example.org", Pop3sPort = 995, Domains = ["example.org"], Submission = ("mail.example.org", 465) };
        var outgoing = XDocument.Parse(AutoconfigDocuments.Thunderbird(offer, "example.org")).Root!.Element("emailProvider")!.Element("outgoingServer")!;

        Assert.Equal(("465", "SSL"), (outgoing.Element("port")!.Value, outgoing.Element("socketType")!.Value));
    }

    private static List<string> WizardProblems(XDocument document)
    {
        var problems = new List<string>();
        var provider = document.Root is { Name.LocalName: "clientConfig" } root ? root.Element("emailProvider") : null;
        if (provider is null)
        {
            return ["no clientConfig/emailProvider"];
        }

        if (!IsHostName(provider.Attribute("id")?.Value))
        {
            problems.Add("emailProvider id is not a host name");
        }

        if (!provider.Elements("domain").Any(d => IsHostName(d.Value)))
        {
            problems.Add("no proper domain");
        }

        var incoming = provider.Elements("incomingServer").ToList();
        var usableIncoming = incoming.Count(s => ServerProblems(s, ["pop3", "imap", "nntp", "exchange"], IncomingAuthentication, usernameRequired: true, problems));
        if (usableIncoming == 0)
        {
            problems.Add("no usable incomingServer");
        }

        foreach (var pop3 in incoming.Select(s => s.Element("pop3")).OfType<XElement>())
        {
            if (pop3.Element("leaveMessagesOnServer") is { } leave && leave.Value is not ("true" or "false"))
            {
                problems.Add("leaveMessagesOnServer is not a boolean");
            }

            if (pop3.Element("daysToLeaveMessagesOnServer") is { } days && !int.TryParse(days.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            {
                problems.Add("daysToLeaveMessagesOnServer is not an integer");
            }
        }

        var usableOutgoing = provider.Elements("outgoingServer").Count(s => ServerProblems(s, ["smtp"], OutgoingAuthentication, usernameRequired: false, problems));
        if (usableOutgoing == 0)
        {
            problems.Add("no usable outgoingServer");
        }

        return problems;
    }

    /// <summary>True when the server is usable; otherwise says why.</summary>
    private static bool ServerProblems(XElement server, string[] types, string[] authentications, bool usernameRequired, List<string> problems)
    {
        var before = problems.Count;
        var name = server.Name.LocalName;
        if (!types.Contains(server.Attribute("type")?.Value))
        {
            problems.Add($"{name}: unknown type");
        }

        if (!IsHostName(server.Element("hostname")?.Value))
        {
            problems.Add($"{name}: hostname");
        }

        if (!int.TryParse(server.Element("port")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            problems.Add($"{name}: port");
        }

        if (!server.Elements("socketType").Any(s => SocketTypes.Contains(s.Value)))
        {
            problems.Add($"{name}: socketType");
        }

        var authentication = server.Elements("authentication").Select(a => a.Value).FirstOrDefault(authentications.Contains);
        if (authentication is null)
        {
            problems.Add($"{name}: authentication");
        }

        var needsUsername = usernameRequired || authentication is "password-cleartext" or "plain" or "password-encrypted" or "secure";
        if (needsUsername && server.Element("username") is null)
        {
            problems.Add($"{name}: username");
        }

        return problems.Count == before;
    }

    private static bool IsHostName(string? value) =>
        value is { Length: > 0 and <= 255 } && Uri.CheckHostName(value) is UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6;
}
