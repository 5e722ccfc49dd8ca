using System.Text;

namespace Postino.Protocols.Sasl;

/// <summary>Small syntax helpers for SCRAM messages (RFC 5802 section 7).</summary>
internal static class ScramAttributes
{
    /// <summary>Reads "k=value" with the expected key; false otherwise.</summary>
    public static bool TryGet(string attribute, char key, out string value)
    {
        if (attribute.Length >= 2 && attribute[0] == key && attribute[1] == '=')
        {
            value = attribute[2..];
            return true;
        }

        value = string.Empty;
        return false;
    }

    /// <summary>Decodes a saslname: "=2C" is ',', "=3D" is '=', any other '=' is an error.</summary>
    public static bool TryDecodeSaslName(string encoded, out string name)
    {
        name = string.Empty;
        if (encoded.Length == 0)
        {
            return false;
        }

        var builder = new StringBuilder(encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            var c = encoded[i];
            if (c != '=')
            {
                builder.Append(c);
                continue;
            }

            if (i + 2 >= encoded.Length)
            {
                return false;
            }

            var escape = encoded.AsSpan(i + 1, 2);
            if (escape.SequenceEqual("2C"))
            {
                builder.Append(',');
            }
            else if (escape.SequenceEqual("3D"))
            {
                builder.Append('=');
            }
            else
            {
                return false;
            }

            i += 2;
        }

        name = builder.ToString();
        return true;
    }

    /// <summary>A nonce is printable ASCII except ','.</summary>
    public static bool IsValidNonce(string nonce)
    {
        if (nonce.Length == 0)
        {
            return false;
        }

        foreach (var c in nonce)
        {
            if (c is < (char)0x21 or > (char)0x7E or ',')
            {
                return false;
            }
        }

        return true;
    }

    public static byte[]? DecodeBase64(string text)
    {
        var parsed = SaslBase64.ParseInitialResponse(Encoding.ASCII.GetBytes(text));
        return parsed.Kind == SaslResponseKind.Data && text != "=" ? parsed.Data : null;
    }
}
