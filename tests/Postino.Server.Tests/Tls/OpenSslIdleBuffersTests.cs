using System.Net.Security;
using System.Security.Cryptography;
using Postino.Server.Tls;

namespace Postino.Server.Tests.Tls;

public class OpenSslIdleBuffersTests
{
    private static readonly TlsCertificate Certificate = TestCertificates.SelfSigned();

    [Fact]
    public async Task A_server_connection_gets_the_mode_and_still_carries_data_both_ways()
    {
        var connection = new InMemoryConnection();
        await using var server = new SslStream(new DuplexPipeStream(connection.Server.Input, connection.Server.Output), leaveInnerStreamOpen: true);
        Assert.False(OpenSslIdleBuffers.Release(server)); // no SSL object before the handshake

        var handshake = server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = Certificate.Certificate });
        await using var client = await InMemoryConnection.ClientHandshakeAsync(connection.Client, Certificate.Certificate);
        await handshake;

        // On the runtime this ships with (Linux, OpenSSL 3) the SSL object is found and the mode set; a runtime whose
        // SslStream changed layout fails here instead of silently keeping 34 KB per idle POP3S session.
        Assert.False(OpenSslIdleBuffers.IsSet(server));
        Assert.True(OpenSslIdleBuffers.Release(server));
        Assert.True(OpenSslIdleBuffers.IsSet(server));

        // Records after the buffers were freed and allocated again, several records per write, both directions.
        var big = RandomNumberGenerator.GetBytes(100_000);
        for (var round = 0; round < 3; round++)
        {
            var written = server.WriteAsync(big).AsTask();
            Assert.Equal(big, await ReadExactlyAsync(client, big.Length));
            await written;
            await client.WriteAsync("NOOP\r\n"u8.ToArray());
            Assert.Equal("NOOP\r\n"u8.ToArray(), await ReadExactlyAsync(server, 6));
        }
    }

    [Fact]
    public void Nothing_to_do_without_a_stream()
    {
        Assert.False(OpenSslIdleBuffers.Release(null));
    }

    private static async Task<byte[]> ReadExactlyAsync(Stream stream, int count)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer);
        return buffer;
    }
}
