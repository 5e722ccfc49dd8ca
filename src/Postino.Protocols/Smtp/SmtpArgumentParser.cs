namespace Postino.Protocols.Smtp;

/// <summary>Parses the arguments of MAIL and RCPT. Never throws on wire input: failures come back as an error value.</summary>
public static class SmtpArgumentParser
{
    /// <summary>Parses <c>FROM:&lt;path&gt; [SIZE=n] [BODY=7BIT|8BITMIME] [SMTPUTF8]</c>.</summary>
    public static SmtpArgumentError TryParseMailFrom(string argument, out MailFromArguments? result)
    {
        result = null;
        if (!TrySplitPath(argument, "FROM:", out var path, out var parameters))
        {
            return SmtpArgumentError.Syntax;
        }

        SmtpAddress? sender = null;
        if (path.Length > 0)
        {
            sender = SmtpAddress.TryParse(path);
            if (sender is null)
            {
                return SmtpArgumentError.BadAddress;
            }
        }

        long? size = null;
        var body = SmtpBodyType.SevenBit;
        var utf8 = false;
        foreach (var parameter in parameters)
        {
            var (key, value) = SplitParameter(parameter);
            switch (key.ToUpperInvariant())
            {
                case "SIZE":
                    if (value is null || value.Length is 0 or > 18 || !value.All(char.IsAsciiDigit))
                    {
                        return SmtpArgumentError.BadParameterValue;
                    }

                    size = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "BODY":
                    if (string.Equals(value, "7BIT", StringComparison.OrdinalIgnoreCase))
                    {
                        body = SmtpBodyType.SevenBit;
                    }
                    else if (string.Equals(value, "8BITMIME", StringComparison.OrdinalIgnoreCase))
                    {
                        body = SmtpBodyType.EightBitMime;
                    }
                    else
                    {
                        return SmtpArgumentError.BadParameterValue;
                    }

                    break;
                case "SMTPUTF8":
                    if (value is not null)
                    {
                        return SmtpArgumentError.BadParameterValue;
                    }

                    utf8 = true;
                    break;
                default:
                    return SmtpArgumentError.UnknownParameter;
            }
        }

        result = new MailFromArguments(sender, size, body, utf8);
        return SmtpArgumentError.None;
    }

    /// <summary>Parses <c>TO:&lt;path&gt;</c>. No RCPT parameters are offered (no DSN).</summary>
    public static SmtpArgumentError TryParseRcptTo(string argument, out SmtpAddress? recipient) =>
        TryParseRcptTo(argument, allowBareLocalPart: false, out recipient);

    /// <summary>
    /// Parses <c>TO:&lt;path&gt;</c>; with <paramref name="allowBareLocalPart"/> (LMTP, as Dovecot's) a path without a
    /// domain (<c>&lt;user5&gt;</c>) is a local part with an empty domain.
    /// </summary>
    public static SmtpArgumentError TryParseRcptTo(string argument, bool allowBareLocalPart, out SmtpAddress? recipient)
    {
        recipient = null;
        if (!TrySplitPath(argument, "TO:", out var path, out var parameters))
        {
            return SmtpArgumentError.Syntax;
        }

        recipient = path.Length == 0 ? null : SmtpAddress.TryParse(path);
        if (recipient is null && allowBareLocalPart && path.Length > 0)
        {
            recipient = SmtpAddress.TryParseBareLocalPart(path);
        }

        if (recipient is null)
        {
            return SmtpArgumentError.BadAddress;
        }

        return parameters.Length == 0 ? SmtpArgumentError.None : SmtpArgumentError.UnknownParameter;
    }

    private static bool TrySplitPath(string argument, string prefix, out string path, out string[] parameters)
    {
        path = string.Empty;
        parameters = [];
        if (!argument.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // "MAIL FROM: <a@b>" with a space is common from sloppy clients; RFC 5321 does not allow it but harms nothing.
        var rest = argument[prefix.Length..].TrimStart(' ');
        if (!rest.StartsWith('<'))
        {
            return false;
        }

        var close = rest.IndexOf('>', StringComparison.Ordinal);
        if (close < 0)
        {
            return false;
        }

        path = rest[1..close];
        var tail = rest[(close + 1)..];
        if (tail.Length > 0 && tail[0] != ' ')
        {
            return false;
        }

        parameters = tail.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return true;
    }

    private static (string Key, string? Value) SplitParameter(string parameter)
    {
        var equals = parameter.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? (parameter, null) : (parameter[..equals], parameter[(equals + 1)..]);
    }
}
