using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Postino.Server.Tls;

namespace Postino.Server.Tests.Tls;

/// <summary>Two pipes standing in for a socket: the server side as an IDuplexPipe, the client side as a Stream.</summary>
internal sealed class InMemoryConnection
{
    private readonly Pipe _clientToServer = new();
    private readonly Pipe _serverToClient = new();

    public InMemoryConnection()
    {
        Server = new DuplexPipe(_clientToServer.Reader, _serverToClient.Writer);
        Client = new DuplexPipeStream(_serverToClient.Reader, _clientToServer.Writer);
    }

    public IDuplexPipe Server { get; }

    public Stream Client { get; }

    public static async Task<SslStream> ClientHandshakeAsync(
        Stream transport, X509Certificate2 expected, SslProtocols protocols = SslProtocols.None)
    {
        var client = new SslStream(transport, leaveInnerStreamOpen: true);
        await client.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = protocols,
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && certificate.GetCertHashString() == expected.GetCertHashString(),
        });
        return client;
    }

    /// <summary>Reads one CRLF line from a pipe and consumes exactly it.</summary>
    public static async Task<string> ReadLineAsync(PipeReader reader)
    {
        while (true)
        {
            var result = await reader.ReadAsync();
            var buffer = result.Buffer;
            var end = buffer.PositionOf((byte)'\n');
            if (end is { } position)
            {
                var line = Encoding.ASCII.GetString(buffer.Slice(0, position).ToArray()).TrimEnd('\r');
                reader.AdvanceTo(buffer.GetPosition(1, position));
                return line;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new EndOfStreamException();
            }
        }
    }

    public static async Task<string> ReadLineAsync(Stream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1 && one[0] != (byte)'\n')
        {
            bytes.Add(one[0]);
        }

        return Encoding.ASCII.GetString([.. bytes]).TrimEnd('\r');
    }

    private sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
