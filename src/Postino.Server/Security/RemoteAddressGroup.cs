using System.Net;
using System.Net.Sockets;

namespace Postino.Server.Security;

/// <summary>
/// The unit that penalties and connection caps count per: an IPv4 address (IPv4-mapped IPv6 included), or an IPv6
/// /64, since one host or household typically owns a whole /64 and could otherwise rotate addresses at will.
/// </summary>
public static class RemoteAddressGroup
{
    private const int Ipv6PrefixOctets = 8;

    public static IPAddress Of(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, Ipv6PrefixOctets, bytes.Length - Ipv6PrefixOctets);
        return new IPAddress(bytes);
    }
}
