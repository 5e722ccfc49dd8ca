using Postino.Protocols.Proxy;

namespace Postino.Fuzz.Targets;

/// <summary>
/// The PROXY protocol header (v1 text, v2 binary) that a load balancer, or anyone reaching a listener configured for
/// it, sends first. Besides not crashing, the answer must not depend on how the network cut the bytes: every prefix of
/// a complete header reads as incomplete, the header parses the same from its own bytes, its length is within the
/// input and the documented maximum, and "incomplete" is never the answer once the maximum length is reached.
/// </summary>
internal static class ProxyHeaderTarget
{
    public static void Run(byte[] input)
    {
        var status = ProxyHeaderParser.TryParse(input, out var header, out var length);
        switch (status)
        {
            case ProxyParseStatus.Complete:
                CheckComplete(input, header, length);
                break;
            case ProxyParseStatus.Incomplete when input.Length >= ProxyHeaderParser.MaxHeaderLength:
                throw new InvalidOperationException($"{input.Length} octets still read as an incomplete header");
            case ProxyParseStatus.Invalid:
                // Once invalid, more bytes cannot make it valid: the connection is refused on the first answer.
                var longer = input.Concat("\r\n"u8.ToArray()).ToArray();
                if (ProxyHeaderParser.TryParse(longer, out _, out _) != ProxyParseStatus.Invalid)
                {
                    throw new InvalidOperationException("an invalid header became valid with more bytes");
                }

                break;
        }
    }

    private static void CheckComplete(byte[] input, ProxyHeader? header, int length)
    {
        if (header is null || length <= 0 || length > input.Length || length > ProxyHeaderParser.MaxHeaderLength)
        {
            throw new InvalidOperationException($"a complete header with length {length} of {input.Length} octets, header {header}");
        }

        if (ProxyHeaderParser.TryParse(input.AsSpan(0, length), out var again, out var againLength) != ProxyParseStatus.Complete
            || againLength != length || again != header)
        {
            throw new InvalidOperationException($"the header does not parse the same from its own {length} octets");
        }

        for (var cut = 0; cut < length; cut++)
        {
            if (ProxyHeaderParser.TryParse(input.AsSpan(0, cut), out _, out _) != ProxyParseStatus.Incomplete)
            {
                throw new InvalidOperationException($"the first {cut} octets of a {length}-octet header do not read as incomplete");
            }
        }
    }
}
