using System.Buffers;
using System.Buffers.Text;

namespace Postino.Protocols.Sasl;

/// <summary>What a client line in a SASL exchange turned out to be.</summary>
public enum SaslResponseKind
{
    /// <summary>Decoded bytes (possibly empty).</summary>
    Data,

    /// <summary>The client sent "*" to abort the exchange.</summary>
    Cancel,

    /// <summary>Not strict base64 (RFC 4648 alphabet, padded, no white space).</summary>
    Malformed,
}

/// <summary>A decoded client response; <see cref="Data"/> is empty unless <see cref="Kind"/> is Data.</summary>
public readonly record struct SaslClientResponse(SaslResponseKind Kind, byte[] Data)
{
    public static SaslClientResponse Cancel { get; } = new(SaslResponseKind.Cancel, []);

    public static SaslClientResponse Malformed { get; } = new(SaslResponseKind.Malformed, []);
}

/// <summary>
/// The base64 coding of SASL data on the POP3 wire (RFC 5034): never throws on wire input, answers an error value.
/// </summary>
public static class SaslBase64
{
    /// <summary>
    /// Decodes a response line (with or without its CRLF): "*" cancels, an empty line is an empty response, anything
    /// else must be strict base64.
    /// </summary>
    public static SaslClientResponse ParseResponseLine(ReadOnlySpan<byte> line)
    {
        line = TrimLineEnd(line);
        if (line.Length == 1 && line[0] == (byte)'*')
        {
            return SaslClientResponse.Cancel;
        }

        return Decode(line);
    }

    /// <summary>
    /// Decodes the initial-response argument of "AUTH mech initial": "=" stands for an empty response (RFC 4954
    /// convention adopted by RFC 5034); "*" is not a cancel here and counts as malformed.
    /// </summary>
    public static SaslClientResponse ParseInitialResponse(ReadOnlySpan<byte> argument)
    {
        if (argument.Length == 1 && argument[0] == (byte)'=')
        {
            return new SaslClientResponse(SaslResponseKind.Data, []);
        }

        return argument.IsEmpty ? SaslClientResponse.Malformed : Decode(argument);
    }

    /// <summary>Encodes server data for a "+ " continuation line.</summary>
    public static string Encode(ReadOnlySpan<byte> data) => Convert.ToBase64String(data);

    private static SaslClientResponse Decode(ReadOnlySpan<byte> text)
    {
        if (text.Length % 4 != 0 || !IsStrictAlphabet(text))
        {
            return SaslClientResponse.Malformed;
        }

        var output = new byte[Base64.GetMaxDecodedFromUtf8Length(text.Length)];
        var status = Base64.DecodeFromUtf8(text, output, out var consumed, out var written);
        if (status != OperationStatus.Done || consumed != text.Length)
        {
            return SaslClientResponse.Malformed;
        }

        return new SaslClientResponse(SaslResponseKind.Data, output.AsSpan(0, written).ToArray());
    }

    // Padding is allowed only as the last one or two characters.
    private static bool IsStrictAlphabet(ReadOnlySpan<byte> text)
    {
        var padding = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == (byte)'=')
            {
                padding++;
                continue;
            }

            var isAlphabet = c is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z'
                or >= (byte)'0' and <= (byte)'9' or (byte)'+' or (byte)'/';
            if (!isAlphabet || padding > 0)
            {
                return false;
            }
        }

        return padding <= 2;
    }

    private static ReadOnlySpan<byte> TrimLineEnd(ReadOnlySpan<byte> line)
    {
        while (!line.IsEmpty && line[^1] is (byte)'\n' or (byte)'\r')
        {
            line = line[..^1];
        }

        return line;
    }
}
