using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Postino.Protocols.Proxy;

/// <summary>
/// Parses the PROXY protocol header (HAProxy's proxy-protocol.txt, versions 1 and 2) that a load balancer sends before
/// the client's first byte. A pure function over the bytes received so far, so that it can be fuzzed: it never reads
/// past <see cref="MaxHeaderLength"/> bytes, and a wrong byte makes it answer <see cref="ProxyParseStatus.Invalid"/> at
/// once rather than wait for more.
/// </summary>
public static class ProxyHeaderParser
{
    /// <summary>The longest v1 line, CRLF included (the specification's 107).</summary>
    public const int MaxV1Length = 107;

    /// <summary>
    /// The longest v2 header accepted: its 16 fixed bytes, addresses (at most 216 bytes, for UNIX) and TLVs. The
    /// specification lets a header grow to 64 KiB; proxies send far less, and a bound keeps what a connection can make
    /// us hold small.
    /// </summary>
    public const int MaxV2Length = 16 + 1024;

    /// <summary>The most bytes a header can take: a reader never needs to buffer more than this.</summary>
    public const int MaxHeaderLength = MaxV2Length;

    private const int V2FixedLength = 16;

    private static ReadOnlySpan<byte> V1Prefix => "PROXY "u8;

    private static ReadOnlySpan<byte> V2Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    /// <summary>
    /// Parses the header at the start of <paramref name="input"/>. On <see cref="ProxyParseStatus.Complete"/>,
    /// <paramref name="length"/> is the header's length (the client's own bytes follow it).
    /// </summary>
    public static ProxyParseStatus TryParse(ReadOnlySpan<byte> input, out ProxyHeader? header, out int length)
    {
        header = null;
        length = 0;
        if (input.IsEmpty)
        {
            return ProxyParseStatus.Incomplete;
        }

        if (input[0] == V1Prefix[0])
        {
            return TryParseV1(input, out header, out length);
        }

        return input[0] == V2Signature[0] ? TryParseV2(input, out header, out length) : ProxyParseStatus.Invalid;
    }

    private static ProxyParseStatus TryParseV1(ReadOnlySpan<byte> input, out ProxyHeader? header, out int length)
    {
        header = null;
        length = 0;
        var prefix = Math.Min(input.Length, V1Prefix.Length);
        if (!input[..prefix].SequenceEqual(V1Prefix[..prefix]))
        {
            return ProxyParseStatus.Invalid;
        }

        var window = input[..Math.Min(input.Length, MaxV1Length)];
        var lf = window.IndexOf((byte)'\n');
        if (lf < 0)
        {
            // A CR must be the last byte so far (its LF still to come); a full window without LF is too long.
            var cr = window.IndexOf((byte)'\r');
            return input.Length >= MaxV1Length || (cr >= 0 && cr < window.Length - 1)
                ? ProxyParseStatus.Invalid
                : ProxyParseStatus.Incomplete;
        }

        if (lf == 0 || window[lf - 1] != '\r')
        {
            return ProxyParseStatus.Invalid;
        }

        var line = window[V1Prefix.Length..(lf - 1)];
        foreach (var b in line)
        {
            if (b is < 0x20 or > 0x7E)
            {
                return ProxyParseStatus.Invalid;
            }
        }

        var text = Encoding.ASCII.GetString(line);
        length = lf + 1;
        if (text == "UNKNOWN" || text.StartsWith("UNKNOWN ", StringComparison.Ordinal))
        {
            // The proxy could not tell (say, an IPv6 client behind an IPv4-only proxy): the socket's addresses stand.
            header = new ProxyHeader(1, ProxyCommand.Proxy, null, null);
            return ProxyParseStatus.Complete;
        }

        var parts = text.Split(' ');
        if (parts.Length != 5)
        {
            return Fail(out header, out length);
        }

        var family = parts[0] switch
        {
            "TCP4" => AddressFamily.InterNetwork,
            "TCP6" => AddressFamily.InterNetworkV6,
            _ => AddressFamily.Unknown,
        };
        if (family == AddressFamily.Unknown
            || !TryParseAddress(parts[1], family, out var source)
            || !TryParseAddress(parts[2], family, out var destination)
            || !TryParsePort(parts[3], out var sourcePort)
            || !TryParsePort(parts[4], out var destinationPort))
        {
            return Fail(out header, out length);
        }

        header = new ProxyHeader(1, ProxyCommand.Proxy, new IPEndPoint(source, sourcePort), new IPEndPoint(destination, destinationPort));
        return ProxyParseStatus.Complete;
    }

    private static ProxyParseStatus TryParseV2(ReadOnlySpan<byte> input, out ProxyHeader? header, out int length)
    {
        header = null;
        length = 0;
        var prefix = Math.Min(input.Length, V2Signature.Length);
        if (!input[..prefix].SequenceEqual(V2Signature[..prefix]))
        {
            return ProxyParseStatus.Invalid;
        }

        if (input.Length > V2Signature.Length && !TryReadVersionCommand(input[V2Signature.Length], out _))
        {
            return ProxyParseStatus.Invalid;
        }

        if (input.Length < V2FixedLength)
        {
            return ProxyParseStatus.Incomplete;
        }

        TryReadVersionCommand(input[12], out var command);
        var family = input[13];
        var payloadLength = BinaryPrimitives.ReadUInt16BigEndian(input[14..16]);
        var total = V2FixedLength + payloadLength;
        if (total > MaxV2Length)
        {
            return ProxyParseStatus.Invalid;
        }

        var transport = family & 0x0F;
        var addressFamily = family >> 4;
        if (transport > 2 || addressFamily > 3 || (transport == 0) != (addressFamily == 0))
        {
            return ProxyParseStatus.Invalid;
        }

        // Checked before the whole header is in, so that a wrong length is refused without waiting for bytes.
        var needed = (addressFamily, transport) switch
        {
            (1, _) => 12,
            (2, _) => 36,
            (3, _) => 216,
            _ => 0,
        };
        if (payloadLength < needed)
        {
            return ProxyParseStatus.Invalid;
        }

        if (input.Length < total)
        {
            return ProxyParseStatus.Incomplete;
        }

        length = total;
        var payload = input[V2FixedLength..total];
        if (command == ProxyCommand.Local)
        {
            // The proxy's own connection (a health check): whatever addresses it carries are to be ignored.
            header = new ProxyHeader(2, ProxyCommand.Local, null, null);
            return ProxyParseStatus.Complete;
        }

        if (transport == 2)
        {
            // Datagrams relayed onto a stream listener make no sense.
            return Fail(out header, out length);
        }

        header = addressFamily switch
        {
            1 => new ProxyHeader(
                2,
                ProxyCommand.Proxy,
                new IPEndPoint(new IPAddress(payload[..4]), BinaryPrimitives.ReadUInt16BigEndian(payload[8..10])),
                new IPEndPoint(new IPAddress(payload[4..8]), BinaryPrimitives.ReadUInt16BigEndian(payload[10..12]))),
            2 => new ProxyHeader(
                2,
                ProxyCommand.Proxy,
                new IPEndPoint(new IPAddress(payload[..16]), BinaryPrimitives.ReadUInt16BigEndian(payload[32..34])),
                new IPEndPoint(new IPAddress(payload[16..32]), BinaryPrimitives.ReadUInt16BigEndian(payload[34..36]))),

            // UNSPEC or a Unix socket client: no address to take, the socket's stand.
            _ => new ProxyHeader(2, ProxyCommand.Proxy, null, null),
        };
        return ProxyParseStatus.Complete;
    }

    private static bool TryReadVersionCommand(byte value, out ProxyCommand command)
    {
        command = (value & 0x0F) == 0 ? ProxyCommand.Local : ProxyCommand.Proxy;
        return value >> 4 == 2 && (value & 0x0F) <= 1;
    }

    private static bool TryParseAddress(string text, AddressFamily family, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.Length == 0 || text.Length > 45)
        {
            return false;
        }

        if (family == AddressFamily.InterNetwork)
        {
            // IPAddress.TryParse takes "1" or "0x7f.1" as IPv4; the specification wants the dotted quad only.
            var octets = text.Split('.');
            if (octets.Length != 4 || octets.Any(o => o.Length is 0 or > 3 || !o.All(char.IsAsciiDigit)))
            {
                return false;
            }
        }
        else if (!text.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.'))
        {
            // No zone ("%eth0"), no brackets.
            return false;
        }

        return IPAddress.TryParse(text, out address!) && address.AddressFamily == family;
    }

    private static bool TryParsePort(string text, out int port)
    {
        port = 0;
        if (text.Length is 0 or > 5 || !text.All(char.IsAsciiDigit) || (text.Length > 1 && text[0] == '0'))
        {
            return false;
        }

        port = int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        return port <= IPEndPoint.MaxPort;
    }

    private static ProxyParseStatus Fail(out ProxyHeader? header, out int length)
    {
        header = null;
        length = 0;
        return ProxyParseStatus.Invalid;
    }
}
