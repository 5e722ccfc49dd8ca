using System.Text;
using System.Text.Unicode;

namespace Postino.Protocols.Sasl;

/// <summary>Strict UTF-8 decoding for mechanism payloads: invalid bytes are an error value, not U+FFFD.</summary>
internal static class SaslText
{
    public static bool TryDecode(ReadOnlySpan<byte> bytes, out string text)
    {
        if (!Utf8.IsValid(bytes))
        {
            text = string.Empty;
            return false;
        }

        text = Encoding.UTF8.GetString(bytes);
        return true;
    }
}
