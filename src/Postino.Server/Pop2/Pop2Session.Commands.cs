using System.Net;
using Postino.Protocols.Pop2;
using Postino.Server.Auth;
using Postino.Server.Sessions;

namespace Postino.Server.Pop2;

/// <summary>The command handlers. Each returns null to go on (to the state the table gives) or how the session ends.</summary>
public sealed partial class Pop2Session
{
    private int _sentIndex = -1;

    private ValueTask<Pop2SessionEnd?> ExecuteAsync(Pop2Command command, CancellationToken cancellationToken) => command.Verb switch
    {
        Pop2Verb.Helo => HeloAsync(command.User!, command.Password!, cancellationToken),
        Pop2Verb.Fold => SelectAsync(command.Mailbox!, cancellationToken),
        Pop2Verb.Read => ValueTask.FromResult(Read(command.Msn)),
        Pop2Verb.Retr => RetrAsync(cancellationToken),
        Pop2Verb.Acks => ValueTask.FromResult(Acknowledge(received: true, delete: false)),
        Pop2Verb.Ackd => ValueTask.FromResult(Acknowledge(received: true, delete: true)),
        Pop2Verb.Nack => ValueTask.FromResult(Acknowledge(received: false, delete: false)),
        _ => QuitAsync(cancellationToken),
    };

    private async ValueTask<Pop2SessionEnd?> HeloAsync(string user, string password, CancellationToken cancellationToken)
    {
        if (!_services.AllowsPlaintextFrom(_remoteAddress))
        {
            return Fail(
                Pop2SessionEnd.LoginRefused,
                "Plaintext login refused: POP2 has no encryption and your address is not on a trusted network");
        }

        // The login penalty (delay after a failure) lives inside the authenticator, shared with POP3.
        var result = await _services.Authenticator.AuthenticateAsync(
            user, password, _remoteAddress ?? IPAddress.Loopback, cancellationToken);
        Metrics.PostinoMetrics.Instance.Login(MetricsProtocol, tls: false, "HELO", result.Outcome);
        if (!result.Succeeded)
        {
            return Fail(Pop2SessionEnd.LoginRefused, result.Outcome switch
            {
                AuthenticationOutcome.TooSoon => "Login refused: too soon after the last login",
                AuthenticationOutcome.TemporaryFailure => "Login temporarily unavailable, try again later",
                _ => "Bad login",
            });
        }

        _user = result.User ?? user;
        _input.LoggedIn();
        _folders = new Pop2OpenFolders(_services.Store, _user);
        return await SelectAsync(Pop2FolderName.Inbox, cancellationToken);
    }

    /// <summary>HELO's default mailbox and FOLD: #n with n the snapshot's count; the current message becomes 1.</summary>
    private async ValueTask<Pop2SessionEnd?> SelectAsync(string mailbox, CancellationToken cancellationToken)
    {
        var maildrop = await _folders!.SelectAsync(mailbox, cancellationToken);
        _selection = new Pop2Selection(Pop2FolderName.Normalize(mailbox) ?? mailbox, maildrop);
        var text = maildrop is null ? $"messages, no mailbox {_selection.Name}" : $"messages in {_selection.Name}";
        Reply(Pop2ReplyKind.Count, _selection.Count, text);
        return null;
    }

    private Pop2SessionEnd? Read(int? msn)
    {
        if (msn is { } requested)
        {
            _selection!.CurrentMsn = requested;
        }

        ReplyLength();
        return null;
    }

    private async ValueTask<Pop2SessionEnd?> RetrAsync(CancellationToken cancellationToken)
    {
        var selection = _selection!;
        var msn = selection.CurrentMsn;
        var announced = selection.LengthOf(msn);
        if (announced == 0)
        {
            return Fail(Pop2SessionEnd.ProtocolError, $"No message {msn} to retrieve");
        }

        // A client that stops reading mid-message must not hold the mailbox lock for ever: the idle timeout also
        // applies to each chunk of the transfer.
        var idle = _services.Options.SessionIdleTimeout;
        using var stall = new CancellationTokenSource(idle, _services.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stall.Token);
        long actual;
        try
        {
            await using var stored = await selection.Maildrop!.OpenMessageAsync(MessageNumber.ToIndex(msn), linked.Token);
            actual = await Pop2MessageSender.SendAsync(
                _kernel.Output, stored, announced, () => stall.CancelAfter(idle), linked.Token);
        }
        catch (OperationCanceledException) when (stall.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            _outputStalled = true;
            return Pop2SessionEnd.Timeout;
        }

        if (actual != announced)
        {
            // The client now holds exactly `announced` octets (cut or short), so it cannot trust this message:
            // close without a reply and without commit rather than let it acknowledge a damaged copy.
            Pop2Log.SizeMismatch(_services.Logger, _user!, selection.Name, msn, announced, actual);
            return Pop2SessionEnd.StoreFailure;
        }

        _sentIndex = MessageNumber.ToIndex(msn);
        _sent++;
        _sentBytes += actual;
        return null;
    }

    /// <summary>ACKS, ACKD (received) and NACK (not received): =c of the new current message.</summary>
    private Pop2SessionEnd? Acknowledge(bool received, bool delete)
    {
        var selection = _selection!;
        if (received)
        {
            // RETR followed by ACKS or ACKD is a whole retrieval for the retention policy (applied at commit).
            selection.Maildrop!.MarkRetrieved(_sentIndex);
            _retrieved++;
            if (delete)
            {
                selection.Maildrop.MarkDeleted(_sentIndex);
                _deletionsMarked++;
            }

            selection.CurrentMsn++;
        }

        ReplyLength();
        return null;
    }

    private async ValueTask<Pop2SessionEnd?> QuitAsync(CancellationToken cancellationToken)
    {
        if (_folders is not null && !await _folders.CommitAllAsync(cancellationToken))
        {
            return Fail(Pop2SessionEnd.CommitFailed, "Could not apply all changes to the mailbox");
        }

        Reply(Pop2ReplyKind.Success, null, "Postino POP2 server signing off");
        return Pop2SessionEnd.Quit;
    }

    private void ReplyLength()
    {
        var selection = _selection!;
        var msn = selection.CurrentMsn;
        var length = selection.LengthOf(msn);
        var text = length > 0 ? $"octets in message {msn}"
            : msn < 1 || msn > selection.Count ? $"no message {msn}"
            : selection.Maildrop!.IsDeleted(MessageNumber.ToIndex(msn)) ? $"message {msn} is deleted"
            : $"message {msn} is empty";
        Reply(Pop2ReplyKind.Length, length, text);
    }
}
