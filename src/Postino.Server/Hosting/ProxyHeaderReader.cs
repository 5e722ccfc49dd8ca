using System.Buffers;
using System.IO.Pipelines;
using Postino.Protocols.Proxy;

namespace Postino.Server.Hosting;

/// <summary>
/// Reads a PROXY protocol header off the front of a connection with <see cref="ProxyHeaderParser"/>, leaving the
/// client's own bytes that came with it in the pipe for whatever runs next (TLS, the protocol). Never buffers more
/// than <see cref="ProxyHeaderParser.MaxHeaderLength"/> bytes; the caller's token carries the deadline.
/// </summary>
public static class ProxyHeaderReader
{
    /// <summary>The header, or null when the bytes are not a valid header or the peer closed first.</summary>
    public static async ValueTask<ProxyHeader?> ReadAsync(PipeReader input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var scratch = ArrayPool<byte>.Shared.Rent(ProxyHeaderParser.MaxHeaderLength);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                var window = buffer.Slice(0, Math.Min(buffer.Length, ProxyHeaderParser.MaxHeaderLength));
                window.CopyTo(scratch);
                var status = ProxyHeaderParser.TryParse(scratch.AsSpan(0, (int)window.Length), out var header, out var length);
                if (status == ProxyParseStatus.Complete)
                {
                    input.AdvanceTo(buffer.GetPosition(length));
                    return header;
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (status == ProxyParseStatus.Invalid || result.IsCompleted || result.IsCanceled)
                {
                    return null;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }
}
