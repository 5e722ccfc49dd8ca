using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Postino.Server.Tls;

namespace Postino.Server.Tests.Tls;

/// <summary>
/// How many TLS records a POP3S reply takes on a real socket: each costs the server an encryption, a write through
/// SslStream and the transport, so a reply should not be cut into more records than its size needs.
/// </summary>
public sealed class Pop3sRecordTests : IAsyncLifetime
{
    private Pop3TlsServer? _server;

    public async Task InitializeAsync() => _server = await Pop3TlsServer.StartAsync(PlaintextAuthPolicy.TlsRequired);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_one_line_reply_and_a_4_KiB_message_are_one_record_each()
    {
        await using var client = await LoginAsync();
        Assert.Equal(1, await client.RecordsForAsync("NOOP", multiline: false));
        Assert.Equal(1, await client.RecordsForAsync("STAT", multiline: false));
        // Status line, 4 KiB of message and the terminator: one write, one record (before: the status line had one
        // of its own, the message another).
        Assert.Equal(1, await client.RecordsForAsync("RETR 1", multiline: true));
    }

    [Fact]
    public async Task A_40_KiB_message_goes_out_in_full_size_records()
    {
        await using var client = await LoginAsync();
        var records = await client.RecordsForAsync("RETR 2", multiline: true);

        // 41,540 octets on the wire (CRLF lines, status line, terminator) fit in 3 records of 16 KiB; the status line
        // may take one more. Records of 4 KiB (a pipe segment each) would be 11.
        Assert.InRange(records, 3, 4);
    }

    private async Task<RecordCountingClient> LoginAsync()
    {
        var client = await RecordCountingClient.ConnectAsync(_server!.Pop3sPort, _server.Certificate);
        Assert.StartsWith("+OK", await client.ReadLineAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await client.RecordsForAsync("USER " + Pop3TlsServer.BigUser, multiline: false));
        await client.RecordsForAsync("PASS " + Pop3TlsServer.Password, multiline: false);
        return client;
    }

    /// <summary>A POP3S client whose socket reads count the TLS records the server sent (5-octet headers, then the body).</summary>
    private sealed class RecordCountingClient : IAsyncDisposable
    {
        private readonly TcpClient _tcp;
        private readonly CountingStream _counter;
        private readonly SslStream _tls;

        private RecordCountingClient(TcpClient tcp, CountingStream counter, SslStream tls)
        {
            _tcp = tcp;
            _counter = counter;
            _tls = tls;
        }

        public static async Task<RecordCountingClient> ConnectAsync(int port, TlsCertificate certificate)
        {
            var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, port);
            var counter = new CountingStream(tcp.GetStream());
            var tls = await InMemoryConnection.ClientHandshakeAsync(counter, certificate.Certificate);
            return new RecordCountingClient(tcp, counter, tls);
        }

        public Task<string> ReadLineAsync() => InMemoryConnection.ReadLineAsync(_tls);

        /// <summary>Sends a command and reads its whole reply; returns how many records the reply came in.</summary>
        public async Task<int> RecordsForAsync(string command, bool multiline)
        {
            var before = _counter.Records;
            await _tls.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"));
            var status = await ReadLineAsync();
            Assert.True(status.StartsWith("+OK", StringComparison.Ordinal), command + ": " + status);
            while (multiline && await ReadLineAsync() != ".")
            {
            }

            // The server sends nothing after a reply until the next command, so every record read since is the reply's.
            return _counter.Records - before;
        }

        public async ValueTask DisposeAsync()
        {
            await _tls.DisposeAsync();
            _tcp.Dispose();
        }
    }

    private sealed class CountingStream(Stream inner) : Stream
    {
        private readonly byte[] _header = new byte[5];
        private int _headerFilled;
        private int _bodyLeft;

        /// <summary>Records whose header has arrived.</summary>
        public int Records { get; private set; }

        public override bool CanRead => true;

        public override bool CanWrite => true;

        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            Count(buffer.Span[..read]);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.WriteAsync(buffer, offset, count, cancellationToken);

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            Count(buffer.AsSpan(offset, read));
            return read;
        }

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override void Flush() => inner.Flush();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        private void Count(ReadOnlySpan<byte> data)
        {
            while (!data.IsEmpty)
            {
                if (_bodyLeft > 0)
                {
                    var skip = Math.Min(_bodyLeft, data.Length);
                    _bodyLeft -= skip;
                    data = data[skip..];
                    continue;
                }

                var take = Math.Min(_header.Length - _headerFilled, data.Length);
                data[..take].CopyTo(_header.AsSpan(_headerFilled));
                _headerFilled += take;
                data = data[take..];
                if (_headerFilled == _header.Length)
                {
                    Records++;
                    _bodyLeft = (_header[3] << 8) | _header[4];
                    _headerFilled = 0;
                }
            }
        }
    }
}
