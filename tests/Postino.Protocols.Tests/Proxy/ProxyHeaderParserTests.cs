using System.Net;
using System.Text;
using Postino.Protocols.Proxy;

namespace Postino.Protocols.Tests.Proxy;

public sealed class ProxyHeaderParserTests
{
    private static readonly byte[] Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    [Fact]
    public void A_v1_tcp4_header_gives_the_client_and_leaves_the_clients_bytes()
    {
        var input = Encoding.ASCII.GetBytes("PROXY TCP4 192.0.2.7 198.51.100.1 56324 995\r\nUSER x\r\n");

        Assert.Equal(ProxyParseStatus.Complete, ProxyHeaderParser.TryParse(input, out var header, out var length));

        Assert.Equal(new ProxyHeader(1, ProxyCommand.Proxy, IPEndPoint.Parse("192.0.2.7:56324"), IPEndPoint.Parse("198.51.100.1:995")), header);
        Assert.Equal("USER x\r\n", Encoding.ASCII.GetString(input, length, input.Length - length));
    }

    [Fact]
    public void A_v1_tcp6_header_and_unknown()
    {
        Assert.Equal(ProxyParseStatus.Complete, ProxyHeaderParser.TryParse("PROXY TCP6 2001:db8::7 ::1 1 110\r\n"u8, out var header, out _));
        Assert.Equal(IPEndPoint.Parse("[2001:db8::7]:1"), header!.Source);

        Assert.Equal(ProxyParseStatus.Complete, ProxyHeaderParser.TryParse("PROXY UNKNOWN ffff::1 ::1 1 2\r\n"u8, out header, out var length));
        Assert.Null(header!.Source);
        Assert.Equal(31, length);
    }

    [Theory]
    [InlineData("PROXY TCP4 192.0.2.7 198.51.100.1 56324 995\n")]
    [InlineData("PROXY TCP4 192.0.2.7 198.51.100.1 56324 995 \r\n")]
    [InlineData("PROXY TCP4  192.0.2.7 198.51.100.1 56324 995\r\n")]
    [InlineData("PROXY TCP4 192.0.2.7 198.51.100.1 56324\r\n")]
    [InlineData("PROXY TCP4 192.0.2.7 198.51.100.1 56324 65536\r\n")]
    [InlineData("PROXY TCP4 192.0.2.7 198.51.100.1 056324 995\r\n")]
    [InlineData("PROXY TCP4 192.0.2.7 198.51.100.1 -1 995\r\n")]
    [InlineData("PROXY TCP4 2001:db8::1 198.51.100.1 1 995\r\n")]
    [InlineData("PROXY TCP6 192.0.2.7 ::1 1 995\r\n")]
    [InlineData("PROXY TCP4 1 198.51.100.1 1 995\r\n")]
    [InlineData("PROXY TCP4 0x7f.0.0.1 198.51.100.1 1 995\r\n")]
    [InlineData("PROXY TCP6 fe80::1%eth0 ::1 1 995\r\n")]
    [InlineData("PROXY UDP4 192.0.2.7 198.51.100.1 1 995\r\n")]
    [InlineData("PROXY tcp4 192.0.2.7 198.51.100.1 1 995\r\n")]
    [InlineData("PROXY TCP4 192.0.2.7\t198.51.100.1 1 995\r\n")]
    [InlineData("PROXY\r\n")]
    [InlineData("proxy TCP4 192.0.2.7 198.51.100.1 1 995\r\n")]
    [InlineData("USER alice\r\n")]
    [InlineData("PROXY TCP4 192.0.2.7 198.51.100.1 1 99\r5\r\n")]
    [InlineData("\r\n\r\nQUIT\r\n")]
    [InlineData("GET / HTTP/1.0\r\n")]
    public void Malformed_v1_input_is_invalid(string text) =>
        Assert.Equal(ProxyParseStatus.Invalid, ProxyHeaderParser.TryParse(Encoding.ASCII.GetBytes(text), out _, out _));

    [Fact]
    public void A_v1_line_without_its_end_within_107_bytes_is_invalid_and_a_shorter_one_waits()
    {
        var start = "PROXY UNKNOWN " + new string('x', 80);
        Assert.Equal(ProxyParseStatus.Incomplete, ProxyHeaderParser.TryParse(Encoding.ASCII.GetBytes(start), out _, out _));
        Assert.Equal(ProxyParseStatus.Invalid, ProxyHeaderParser.TryParse(Encoding.ASCII.GetBytes(start + new string('x', 20) + "\r\n"), out _, out _));
        Assert.Equal(ProxyParseStatus.Invalid, ProxyHeaderParser.TryParse([.. "PROXY UNKNOWN "u8, 0xE9, 0x0D, 0x0A], out _, out _));
    }

    [Fact]
    public void Every_prefix_of_a_valid_header_is_incomplete_never_invalid()
    {
        byte[][] headers = [Encoding.ASCII.GetBytes("PROXY TCP4 192.0.2.7 198.51.100.1 56324 995\r\n"), V2(0x21, 0x11, Ipv4Payload())];
        foreach (var header in headers)
        {
            for (var i = 0; i < header.Length; i++)
            {
                Assert.Equal(ProxyParseStatus.Incomplete, ProxyHeaderParser.TryParse(header.AsSpan(0, i), out _, out _));
            }

            Assert.Equal(ProxyParseStatus.Complete, ProxyHeaderParser.TryParse(header, out _, out var length));
            Assert.Equal(header.Length, length);
        }
    }

    [Fact]
    public void A_v2_tcp4_header_with_tlvs_gives_the_client()
    {
        byte[] tlv = [0x04, 0x00, 0x03, 0x61, 0x62, 0x63];
        var input = V2(0x21, 0x11, [.. Ipv4Payload(), .. tlv]).Concat("+rest"u8.ToArray()).ToArray();

        Assert.Equal(ProxyParseStatus.Complete, ProxyHeaderParser.TryParse(input, out var header, out var length));

        Assert.Equal(new ProxyHeader(2, ProxyCommand.Proxy, IPEndPoint.Parse("192.0.2.7:56324"), IPEndPoint.Parse("198.51.100.1:995")), header);
        Assert.Equal(16 + 12 + 6, length);
    }

    [Fact]
    public void A_v2_tcp6_header_gives_the_client()
    {
        var payload = new byte[36];
        IPAddress.Parse("2001:db8::7").GetAddressBytes().CopyTo(payload, 0);
        IPAddress.IPv6Loopback.GetAddressBytes().CopyTo(payload, 16);
        payload[32] = 0x01;
        payload[33] = 0x02;
        payload[35] = 110;

        Assert.Equal(ProxyParseStatus.Complete, ProxyHeaderParser.TryParse(V2(0x21, 0x21, payload), out var header, out _));

        Assert.Equal(IPEndPoint.Parse("[2001:db8::7]:258"), header!.Source);
        Assert.Equal(IPEndPoint.Parse("[::1]:110"), header.Destination);
    }

    [Fact]
    public void A_v2_local_command_keeps_the_sockets_addresses()
    {
        Assert.Equal(ProxyParseStatus.Complete, ProxyHeaderParser.TryParse(V2(0x20, 0x00, []), out var header, out var length));
        Assert.Equal(new ProxyHeader(2, ProxyCommand.Local, null, null), header);
        Assert.Equal(16, length);
    }

    [Theory]
    [InlineData(0x11, 0x11)] // version 1 in a v2 header
    [InlineData(0x22, 0x11)] // command 2
    [InlineData(0x21, 0x12)] // UDP over a stream listener
    [InlineData(0x21, 0x41)] // family 4
    [InlineData(0x21, 0x13)] // transport 3
    [InlineData(0x21, 0x10)] // INET without a transport
    [InlineData(0x21, 0x01)] // a transport without a family
    public void Malformed_v2_headers_are_invalid(byte versionCommand, byte family) =>
        Assert.Equal(ProxyParseStatus.Invalid, ProxyHeaderParser.TryParse(V2(versionCommand, family, Ipv4Payload()), out _, out _));

    [Fact]
    public void A_v2_length_too_short_for_its_addresses_or_over_the_bound_is_invalid_before_the_payload_arrives()
    {
        var shortPayload = V2(0x21, 0x21, new byte[12]);
        Assert.Equal(ProxyParseStatus.Invalid, ProxyHeaderParser.TryParse(shortPayload, out _, out _));

        byte[] huge = [.. Signature, 0x21, 0x11, 0xFF, 0xFF];
        Assert.Equal(ProxyParseStatus.Invalid, ProxyHeaderParser.TryParse(huge, out _, out _));
    }

    [Fact]
    public void A_wrong_signature_byte_is_invalid_at_once()
    {
        byte[] input = [.. Signature[..5], 0x0A];
        Assert.Equal(ProxyParseStatus.Invalid, ProxyHeaderParser.TryParse(input, out _, out _));
        Assert.Equal(ProxyParseStatus.Invalid, ProxyHeaderParser.TryParse([0x16, 0x03, 0x01], out _, out _));
        Assert.Equal(ProxyParseStatus.Incomplete, ProxyHeaderParser.TryParse([], out _, out _));
    }

    [Fact]
    public void Random_bytes_never_throw_and_never_claim_more_than_they_hold()
    {
        var random = new Random(1234);
        for (var i = 0; i < 20_000; i++)
        {
            var input = new byte[random.Next(0, 300)];
            random.NextBytes(input);
            if (input.Length > 0 && random.Next(3) == 0)
            {
                // Start like a header more often than chance would.
                var prefix = random.Next(2) == 0 ? Signature : "PROXY "u8.ToArray();
                prefix.AsSpan(0, Math.Min(prefix.Length, input.Length)).CopyTo(input);
            }

            var status = ProxyHeaderParser.TryParse(input, out var header, out var length);
            Assert.True(status != ProxyParseStatus.Complete || (header is not null && length > 0 && length <= input.Length));
        }
    }

    private static byte[] Ipv4Payload() => [192, 0, 2, 7, 198, 51, 100, 1, 0xDC, 0x04, 0x03, 0xE3];

    private static byte[] V2(byte versionCommand, byte family, byte[] payload) =>
        [.. Signature, versionCommand, family, (byte)(payload.Length >> 8), (byte)payload.Length, .. payload];
}
