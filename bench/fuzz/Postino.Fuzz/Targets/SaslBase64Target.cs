using System.Text;
using Postino.Protocols.Sasl;

namespace Postino.Fuzz.Targets;

/// <summary>
/// The strict base64 of SASL lines and SCRAM's attribute helpers. Whatever decodes must encode back to the same
/// text (strict base64 has one spelling per value).
/// </summary>
internal static class SaslBase64Target
{
    public static void Run(byte[] input)
    {
        var line = SaslBase64.ParseResponseLine(input);
        SaslBase64.ParseInitialResponse(input);
        var text = Encoding.Latin1.GetString(input);
        if (line.Kind == SaslResponseKind.Data && text.Length > 0 && !text.Contains('\r') && !text.Contains('\n')
            && SaslBase64.Encode(line.Data) != text)
        {
            throw new InvalidOperationException($"Base64 \"{text}\" decoded to data that encodes differently.");
        }

        ScramAttributes.DecodeBase64(text);
        ScramAttributes.TryDecodeSaslName(text, out _);
        ScramAttributes.IsValidNonce(text);
        foreach (var attribute in text.Split(','))
        {
            ScramAttributes.TryGet(attribute, 'r', out _);
        }

        SaslText.TryDecode(input, out _);
        PlainMechanism.TryParse(input, out _, out _, out _);
        PrecisProfiles.OpaqueString(text);
        PrecisProfiles.UsernameCasePreserved(text);
    }
}
