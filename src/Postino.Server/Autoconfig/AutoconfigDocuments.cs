using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Postino.Server.Autoconfig;

/// <summary>
/// The two documents mail clients ask for: Thunderbird's <c>config-v1.1.xml</c> (clientConfig version 1.1) and
/// Outlook's Autodiscover POX response (2006 "outlook" response schema), describing the POP3 servers, and for
/// Thunderbird also the site's submission server (its wizard rejects a file without an outgoing server).
/// </summary>
public static class AutoconfigDocuments
{
    public const string AutodiscoverRequestSchema = "http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006";
    public const string AutodiscoverResponseSchema = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006";
    public const string OutlookResponseSchema = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";

    /// <summary>Thunderbird's clientConfig for <paramref name="domain"/>; POP3S first (the client's first choice).</summary>
    public static string Thunderbird(MailSettingsOffer offer, string domain)
    {
        ArgumentNullException.ThrowIfNull(offer);
        var provider = new XElement("emailProvider", new XAttribute("id", domain),
            new XElement("domain", domain),
            new XElement("displayName", $"{domain} mail"),
            new XElement("displayShortName", domain));
        if (offer.Pop3sPort is { } secure)
        {
            provider.Add(ThunderbirdServer(offer, domain, secure, "SSL"));
        }

        if (offer.Pop3Port is { } plain)
        {
            provider.Add(ThunderbirdServer(offer, domain, plain, "STARTTLS"));
        }

        if (offer.Submission is { } submission)
        {
            // Port 465 is submission over implicit TLS (RFC 8314); any other port is taken as STARTTLS (587).
            provider.Add(new XElement("outgoingServer", new XAttribute("type", "smtp"),
                new XElement("hostname", submission.Host),
                new XElement("port", submission.Port.ToString(CultureInfo.InvariantCulture)),
                new XElement("socketType", submission.Port == 465 ? "SSL" : "STARTTLS"),
                new XElement("username", "%EMAILLOCALPART%"),
                new XElement("authentication", "password-cleartext")));
        }

        return Serialise(new XDocument(new XElement("clientConfig", new XAttribute("version", "1.1"), provider)));
    }

    /// <summary>Outlook's Autodiscover answer for <paramref name="emailAddress"/>.</summary>
    public static string Outlook(MailSettingsOffer offer, string emailAddress)
    {
        ArgumentNullException.ThrowIfNull(offer);
        XNamespace root = AutodiscoverResponseSchema;
        XNamespace outlook = OutlookResponseSchema;
        var account = new XElement(outlook + "Account",
            new XElement(outlook + "AccountType", "email"),
            new XElement(outlook + "Action", "settings"));
        var localPart = emailAddress[..emailAddress.LastIndexOf('@')];
        foreach (var (port, ssl) in new[] { (offer.Pop3sPort, true), (offer.Pop3Port, false) })
        {
            if (port is null)
            {
                continue;
            }

            account.Add(new XElement(outlook + "Protocol",
                new XElement(outlook + "Type", "POP3"),
                new XElement(outlook + "Server", offer.HostName),
                new XElement(outlook + "Port", port.Value.ToString(CultureInfo.InvariantCulture)),
                new XElement(outlook + "LoginName", localPart),
                new XElement(outlook + "DomainRequired", "off"),
                new XElement(outlook + "SPA", "off"),
                new XElement(outlook + "SSL", ssl ? "on" : "off"),
                new XElement(outlook + "Encryption", ssl ? "SSL" : "TLS"),
                new XElement(outlook + "AuthRequired", "on")));
        }

        return Serialise(new XDocument(new XElement(root + "Autodiscover", new XElement(outlook + "Response", account))));
    }

    /// <summary>
    /// The <c>EMailAddress</c> of an Autodiscover request, or null when the body is not one. DTDs are refused and the
    /// document is bounded by <paramref name="maxCharacters"/>.
    /// </summary>
    public static string? ReadAutodiscoverRequest(Stream body, int maxCharacters)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = maxCharacters,
            IgnoreComments = true,
            Async = false,
        };
        try
        {
            using var reader = XmlReader.Create(body, settings);
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "EMailAddress")
                {
                    var address = reader.ReadElementContentAsString().Trim();
                    return IsAddress(address) ? address : null;
                }
            }
        }
        catch (XmlException)
        {
            return null;
        }

        return null;
    }

    /// <summary>A plausible address: one '@', a local part and a domain, no markup or whitespace, bounded length.</summary>
    public static bool IsAddress(string? address) =>
        address is { Length: > 2 and <= 254 }
        && address.IndexOf('@', StringComparison.Ordinal) is var at and > 0
        && at == address.LastIndexOf('@')
        && at < address.Length - 1
        && !address.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or '"' or '&' or '/' or '\\');

    private static XElement ThunderbirdServer(MailSettingsOffer offer, string domain, int port, string socketType)
    {
        var server = new XElement("incomingServer", new XAttribute("type", "pop3"),
            new XElement("hostname", offer.HostName),
            new XElement("port", port.ToString(CultureInfo.InvariantCulture)),
            new XElement("socketType", socketType),
            new XElement("username", "%EMAILLOCALPART%"),
            new XElement("authentication", "password-cleartext"));
        if (offer.KeepDays(domain) is { } days)
        {
            var pop3 = new XElement("pop3", new XElement("leaveMessagesOnServer", days > 0 ? "true" : "false"));
            if (days > 0)
            {
                pop3.Add(new XElement("daysToLeaveMessagesOnServer", days.ToString(CultureInfo.InvariantCulture)));
            }

            server.Add(pop3);
        }

        return server;
    }

    private static string Serialise(XDocument document)
    {
        var builder = new StringBuilder();
        using (var writer = XmlWriter.Create(builder, new XmlWriterSettings { Indent = true, Encoding = Encoding.UTF8, OmitXmlDeclaration = true }))
        {
            document.Save(writer);
        }

        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + builder + "\n";
    }
}
