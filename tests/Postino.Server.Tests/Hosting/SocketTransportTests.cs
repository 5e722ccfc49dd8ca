using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging.Abstractions;
using Postino.Server.Hosting.Sockets;
using Postino.Server.Tests.Tls;

namespace Postino.Server.Tests.Hosting;

/// <summary>
/// Postino's socket transport on real sockets: data both ways, a graceful close that delivers the last reply and an
/// end of stream, a peer's half-close, an abort, and the buffer bounds.
/// </summary>
public sealed class SocketTransportTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly SocketTransport transport = new(new SocketConnectionOptions(), NullLogger<SocketTransport>.Instance);
    private IConnectionListener listener = null!;

    public async Task InitializeAsync() => listener = await transport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0));

    public async Task DisposeAsync() => await listener.DisposeAsync();

    [Fact]
    public async Task Bytes_go_both_ways_and_a_closed_connection_delivers_its_last_reply_then_an_end_of_stream()
    {
        var (client, connection) = await ConnectAsync();
        using var _ = client;
        await client.SendAsync("USER carol\r\n"u8.ToArray());

        var line = await InMemoryConnection.ReadLineAsync(connection.Transport.Input).WaitAsync(Patience);
        await connection.Transport.Output.WriteAsync("+OK bye\r\n"u8.ToArray());
        await connection.DisposeAsync().AsTask().WaitAsync(Patience);

        Assert.Equal("USER carol", line);
        Assert.Equal("+OK bye\r\n", await ReadToEndAsync(client));
    }

    [Fact]
    public async Task A_megabyte_written_in_many_pieces_arrives_whole_and_in_order()
    {
        var (client, connection) = await ConnectAsync();
        using var _ = client;
        var expected = new byte[1024 * 1024];
        for (var i = 0; i < expected.Length; i++)
        {
            expected[i] = (byte)(i * 7 % 251);
        }

        var reading = ReadAllBytesAsync(client);
        for (var offset = 0; offset < expected.Length; offset += 10_000)
        {
            // Several segments per flush: the send goes out as one gathered write.
            connection.Transport.Output.Write(expected.AsSpan(offset, Math.Min(10_000, expected.Length - offset)));
            if (offset % 50_000 == 0)
            {
                await connection.Transport.Output.FlushAsync();
            }
        }

        await connection.Transport.Output.FlushAsync();
        await connection.DisposeAsync().AsTask().WaitAsync(Patience);

        Assert.Equal(expected, await reading);
    }

    [Fact]
    public async Task A_peer_that_half_closes_ends_the_input_and_still_gets_the_answer()
    {
        var (client, connection) = await ConnectAsync();
        using var _ = client;
        await client.SendAsync("QUIT\r\n"u8.ToArray());
        client.Shutdown(SocketShutdown.Send);

        var line = await InMemoryConnection.ReadLineAsync(connection.Transport.Input).WaitAsync(Patience);
        var end = await connection.Transport.Input.ReadAsync().AsTask().WaitAsync(Patience);
        await connection.Transport.Output.WriteAsync("+OK\r\n"u8.ToArray());
        await connection.DisposeAsync().AsTask().WaitAsync(Patience);

        Assert.Equal("QUIT", line);
        Assert.True(end.IsCompleted && end.Buffer.IsEmpty);
        Assert.True(connection.ConnectionClosed.IsCancellationRequested);
        Assert.Equal("+OK\r\n", await ReadToEndAsync(client));
    }

    [Fact]
    public async Task A_peer_that_goes_away_cancels_the_connection_closed_token()
    {
        var (client, connection) = await ConnectAsync();
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.ConnectionClosed.Register(() => closed.TrySetResult());

        client.Dispose();

        await closed.Task.WaitAsync(Patience);
        await connection.DisposeAsync().AsTask().WaitAsync(Patience);
    }

    [Fact]
    public async Task An_abort_ends_a_pending_read_with_its_reason_and_closes_the_socket()
    {
        var (client, connection) = await ConnectAsync();
        using var _ = client;
        var reading = connection.Transport.Input.ReadAsync().AsTask();

        connection.Abort(new ConnectionAbortedException("TLS handshake deadline passed"));

        var failure = await Assert.ThrowsAsync<ConnectionAbortedException>(() => reading.WaitAsync(Patience));
        Assert.Equal("TLS handshake deadline passed", failure.Message);
        await connection.DisposeAsync().AsTask().WaitAsync(Patience);
        Assert.Equal(string.Empty, await ReadToEndAsync(client));
    }

    [Fact]
    public async Task Input_the_session_does_not_read_stops_being_received_at_the_bound()
    {
        var small = new SocketTransport(new SocketConnectionOptions { MaxReadBufferSize = 64 * 1024 }, NullLogger<SocketTransport>.Instance);
        await using var bounded = await small.BindAsync(new IPEndPoint(IPAddress.Loopback, 0));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(bounded.EndPoint);
        var connection = (await bounded.AcceptAsync().AsTask().WaitAsync(Patience))!;
        client.Blocking = false;

        // The session reads nothing: past the pipe's bound and the kernel's buffers, the client can send no more.
        var sent = 0L;
        var chunk = new byte[64 * 1024];
        var stalled = false;
        for (var i = 0; i < 10_000 && !stalled; i++)
        {
            try
            {
                sent += client.Send(chunk);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
            {
                stalled = true;
            }
        }

        Assert.True(stalled, $"sent {sent} bytes without the server's side filling up");
        var buffered = await connection.Transport.Input.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.InRange(buffered.Buffer.Length, 1, 64 * 1024 + 64 * 1024);
        connection.Transport.Input.AdvanceTo(buffered.Buffer.Start);
        await connection.DisposeAsync().AsTask().WaitAsync(Patience);
    }

    [Fact]
    public async Task A_unix_socket_listens_and_its_file_goes_with_the_listener()
    {
        using var folder = new TempDirectory("postino-unix-");
        var path = folder.Combine("lmtp");
        var unix = await transport.BindAsync(new UnixDomainSocketEndPoint(path));
        using (var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            await client.ConnectAsync(new UnixDomainSocketEndPoint(path));
            var connection = (await unix.AcceptAsync().AsTask().WaitAsync(Patience))!;
            await connection.Transport.Output.WriteAsync("220 ready\r\n"u8.ToArray());
            await connection.DisposeAsync().AsTask().WaitAsync(Patience);
            Assert.Equal("220 ready\r\n", await ReadToEndAsync(client));
        }

        await unix.DisposeAsync();
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task An_unbound_listener_accepts_nothing_more()
    {
        var accepting = listener.AcceptAsync().AsTask();

        await listener.UnbindAsync();

        Assert.Null(await accepting.WaitAsync(Patience));
    }

    [Fact]
    public void Connection_ids_are_thirteen_characters_of_base_32()
    {
        Assert.Equal("0000000000001", ConnectionIds.Encode(1));
        Assert.Equal("000000000000V", ConnectionIds.Encode(31));
        Assert.Equal("0000000000010", ConnectionIds.Encode(32));
        Assert.NotEqual(ConnectionIds.Next(), ConnectionIds.Next());
    }

    private async Task<(Socket Client, ConnectionContext Connection)> ConnectAsync()
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var accepting = listener.AcceptAsync().AsTask();
        await client.ConnectAsync(listener.EndPoint);
        var connection = await accepting.WaitAsync(Patience);
        Assert.NotNull(connection);
        Assert.Equal(client.LocalEndPoint, connection.RemoteEndPoint);
        Assert.Equal(client.RemoteEndPoint, connection.LocalEndPoint);
        return (client, connection);
    }

    private static async Task<string> ReadToEndAsync(Socket client) => Encoding.ASCII.GetString(await ReadAllBytesAsync(client));

    private static async Task<byte[]> ReadAllBytesAsync(Socket client)
    {
        using var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var count = await client.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(Patience);
            if (count == 0)
            {
                return received.ToArray();
            }

            received.Write(buffer, 0, count);
        }
    }
}
