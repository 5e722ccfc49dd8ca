using System.Buffers;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Postino.Protocols.Smtp;
using Postino.Protocols.Text;
using Postino.Server.Delivery;
using Postino.Storage;

namespace Postino.Server.Smtp;

/// <summary>DATA: stream the message into the spool, then deliver it to each recipient.</summary>
public sealed partial class MailTransferSession
{
    private readonly ArrayBufferWriter<byte> _pending = new(16 * 1024);
    private SmtpDataReader? _data;
    private ISpooledMessage? _spool;

    private async ValueTask<Next> DataAsync(CancellationToken cancellationToken)
    {
        if (_recipients.Count == 0)
        {
            return Reply(Replies.NoValidRecipients);
        }

        try
        {
            _spool = await _context.Spool.CreateAsync(cancellationToken);
            await _spool.WriteAsync(Encoding.UTF8.GetBytes(TraceHeaderBlock()), cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _context.Logger.LogError(ex, "Cannot create a spool file in {SpoolDirectory}", _options.SpoolDirectory);
            await DiscardDataAsync();
            return Reply(Replies.TemporaryFailure);
        }

        _data = new SmtpDataReader(_options.MaxMessageSize);
        _in.BeginData();
        return Reply(Replies.StartData);
    }

    private bool ReadData(ref ReadOnlySequence<byte> buffer) => _data!.Read(ref buffer, _pending);

    private async ValueTask SpoolPendingDataAsync(CancellationToken cancellationToken)
    {
        if (_pending.WrittenCount > 0 && !_data!.LimitExceeded)
        {
            await _spool!.WriteAsync(_pending.WrittenMemory, cancellationToken);
        }

        _pending.ResetWrittenCount();
    }

    private async ValueTask FinishDataAsync(CancellationToken cancellationToken)
    {
        if (Refusal() is { } refusal)
        {
            foreach (var _ in IsLmtp ? _recipients : _recipients.Take(1))
            {
                Write(refusal);
            }
        }
        else
        {
            // Every recipient in one store call (one transaction on PostgreSQL), committed before any reply.
            var failures = await DeliverAllAsync();
            if (IsLmtp)
            {
                for (var i = 0; i < _recipients.Count; i++)
                {
                    Write(failures[i] ?? new SmtpReply(250, "2.0.0", $"<{_recipients[i].Address}> delivered"));
                }

                await _output.FlushAsync(cancellationToken);
            }
            else
            {
                // One reply covers all recipients: on any failure the sender retries them all (a duplicate is
                // better than a lost message).
                Write(failures.FirstOrDefault(f => f is not null) ?? new SmtpReply(250, "2.0.0", "Ok: delivered"));
            }
        }

        await DiscardDataAsync();
        ResetTransaction();
    }

    /// <summary>Why the whole message is refused, whatever the recipients: too big, or line ends that are not CRLF.</summary>
    private SmtpReply? Refusal() => _data!.LimitExceeded
        ? Replies.SizeExceeded
        : _data.BareLineEnd switch
        {
            BareLineEnd.BareLf => Replies.BareLf,
            BareLineEnd.BareCr => Replies.BareCr,
            _ => null,
        };

    /// <summary>Delivers the spooled message to every recipient; per recipient, null on success, else the failure reply.</summary>
    private async ValueTask<SmtpReply?[]> DeliverAllAsync()
    {
        // Not cancelled with the connection: once the data is complete, the store finishes what it started.
        var outcomes = await _context.Store.DeliverAsync([.. _recipients.Select(r => r.User)], _spool!, CancellationToken.None);
        return [.. outcomes.Select(Reply)];
    }

    private SmtpReply? Reply(RecipientDelivery outcome)
    {
        var dialect = _dialect.ToString().ToLowerInvariant();
        if (outcome.Result is { } result)
        {
            _context.Logger.LogInformation(
                "Delivered {Size} octets to {User} as {StorageId} via {Dialect}", result.Size, outcome.User, result.StorageId, _dialect);
            Metrics.PostinoMetrics.Instance.Delivery(dialect, 250);
            return null;
        }

        var kind = DeliveryFailure.Classify(outcome.Failure!);
        if (kind is null)
        {
            _context.Logger.LogError(outcome.Failure, "Delivery to {User} failed unexpectedly", outcome.User);
        }
        else
        {
            _context.Logger.LogWarning("Delivery to {User} failed ({Kind}): {Reason}", outcome.User, kind, outcome.Failure!.Message);
        }

        var reply = kind switch
        {
            DeliveryFailureKind.OverQuota => Replies.OverQuota,
            DeliveryFailureKind.Permanent => Replies.PermanentFailure,
            _ => Replies.TemporaryFailure,
        };
        Metrics.PostinoMetrics.Instance.Delivery(dialect, reply.Code);
        return reply;
    }

    private async ValueTask DiscardDataAsync()
    {
        _data = null;
        _in.EndData();
        _pending.ResetWrittenCount();
        if (_spool is not null)
        {
            await _spool.DisposeAsync();
            _spool = null;
        }
    }

    private string TraceHeaderBlock()
    {
        var headers = new StringBuilder();
        if (_options.AddReturnPath)
        {
            headers.Append(TraceHeaders.ReturnPath(_mail!.ReturnPath));
        }

        if (_options.AddReceived)
        {
            var remote = (_remote as IPEndPoint)?.Address.ToString();
            var recipient = _recipients.Count == 1 ? $"<{_recipients[0].Address}>" : null;
            headers.Append(TraceHeaders.Received(_helloName!, remote, _options.HostName, Protocol(), recipient, _context.Time.GetUtcNow()));
        }

        return headers.ToString();
    }

    /// <summary>The "with" keyword of the Received header (RFC 3848, RFC 6531).</summary>
    private string Protocol()
    {
        var secure = _secure ? "S" : string.Empty;
        if (IsLmtp)
        {
            return (_mail!.SmtpUtf8 ? "UTF8LMTP" : "LMTP") + secure;
        }

        if (_mail!.SmtpUtf8)
        {
            return "UTF8SMTP" + secure;
        }

        return (_extended ? "ESMTP" : "SMTP") + secure;
    }
}
