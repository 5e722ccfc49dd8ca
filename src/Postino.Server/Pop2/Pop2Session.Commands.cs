using System.Net;
using Postino.Protocols.Pop2;
using Postino.Server.Auth;

namespace Postino.Server.Pop2;

/// <summary>The command handlers. Each returns null to go on (to the state the table gives) or how the session ends.</summary>
public sealed partial class Pop2Session
{
    private int _sentIndex = -1;

    private ValueTask<Pop2SessionEnd?> ExecuteAsync(Pop2Command command, CancellationToken cancellationToken) => command.Verb switch
    {
        Pop2Verb.Helo => HeloAsync(command.User!, command.Password!, cancellationToken),
        Pop2Verb.Fold => FoldAsync(command.Mailbox!, cancellationToken),
        Pop2Verb.Read => ReadAsync(command.Msn, cancellationToken),
        Pop2Verb.Retr => RetrAsync(cancellationToken),
        Pop2Verb.Acks => AcknowledgeAsync(received: true, delete: false, cancellationToken),
        Pop2Verb.Ackd => AcknowledgeAsync(received: true, delete: true, cancellationToken),
        Pop2Verb.Nack => AcknowledgeAsync(received: false, delete: false, cancellationToken),
        _ => QuitAsync(cancellationToken),
    };

    private async ValueTask<Pop2SessionEnd?> HeloAsync(string user, string password, CancellationToken cancellationToken)
    {
        if (!_services.Options.AllowsPlaintextFrom(_remoteAddress))
        {
            return await FailAsync(
                Pop2SessionEnd.LoginRefused,
                "Plaintext login refused: POP2 has no encryption and your address is not on a trusted network",
                cancellationToken);
        }

        // The login penalty (delay after a failure) lives inside the authenticator, shared with POP3.
        var result = await _services.Authenticator.AuthenticateAsync(
            user, password, _remoteAddress ?? IPAddress.Loopback, cancellationToken);
        if (!result.Succeeded)
        {
            var text = result.Outcome switch
            {
                AuthenticationOutcome.TooSoon => "Login refused: too soon after the last login",
                AuthenticationOutcome.TemporaryFailure => "Login temporarily unavailable, try again later",
                _ => "Bad login",
            };
            return await FailAsync(Pop2SessionEnd.LoginRefused, text, cancellationToken);
        }

        _user = result.User ?? user;
        _folders = new Pop2OpenFolders(_services.Store, _user);
        return await SelectAsync(Pop2FolderName.Inbox, cancellationToken);
    }

    private ValueTask<Pop2SessionEnd?> FoldAsync(string mailbox, CancellationToken cancellationToken) =>
        SelectAsync(mailbox, cancellationToken);

    private async ValueTask<Pop2SessionEnd?> SelectAsync(string mailbox, CancellationToken cancellationToken)
    {
        var maildrop = await _folders!.SelectAsync(mailbox, cancellationToken);
        _selection = new Pop2Selection(Pop2FolderName.Normalize(mailbox) ?? mailbox, maildrop);
        var text = maildrop is null ? $"messages, no mailbox {_selection.Name}" : $"messages in {_selection.Name}";
        await ReplyAsync(Pop2ReplyKind.Count, _selection.Count, text, cancellationToken);
        return null;
    }

    private async ValueTask<Pop2SessionEnd?> ReadAsync(int? msn, CancellationToken cancellationToken)
    {
        if (msn is { } requested)
        {
            _selection!.CurrentMsn = requested;
        }

        await ReplyLengthAsync(cancellationToken);
        return null;
    }

    private async ValueTask<Pop2SessionEnd?> RetrAsync(CancellationToken cancellationToken)
    {
        var selection = _selection!;
        var msn = selection.CurrentMsn;
        var announced = selection.LengthOf(msn);
        if (announced == 0)
        {
            return await FailAsync(Pop2SessionEnd.ProtocolError, $"No message {msn} to retrieve", cancellationToken);
        }

        long actual;
        await using (var stored = await selection.Maildrop!.OpenMessageAsync(msn - 1, cancellationToken))
        {
            actual = await Pop2MessageSender.SendAsync(_transport.Output, stored, announced, cancellationToken);
        }

        if (actual != announced)
        {
            // The client now holds exactly `announced` octets (cut or short), so it cannot trust this message:
            // close without a reply and without commit rather than let it acknowledge a damaged copy.
            Pop2Log.SizeMismatch(_services.Logger, _user!, selection.Name, msn, announced, actual);
            return Pop2SessionEnd.StoreFailure;
        }

        _sentIndex = msn - 1;
        return null;
    }

    private async ValueTask<Pop2SessionEnd?> AcknowledgeAsync(bool received, bool delete, CancellationToken cancellationToken)
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

        await ReplyLengthAsync(cancellationToken);
        return null;
    }

    private async ValueTask<Pop2SessionEnd?> QuitAsync(CancellationToken cancellationToken)
    {
        if (_folders is not null && !await _folders.CommitAllAsync(cancellationToken))
        {
            return await FailAsync(Pop2SessionEnd.CommitFailed, "Could not apply all changes to the mailbox", cancellationToken);
        }

        await ReplyAsync(Pop2ReplyKind.Success, null, "Postino POP2 server signing off", cancellationToken);
        return Pop2SessionEnd.Quit;
    }

    private ValueTask ReplyLengthAsync(CancellationToken cancellationToken)
    {
        var selection = _selection!;
        var msn = selection.CurrentMsn;
        var length = selection.LengthOf(msn);
        var text = length > 0 ? $"octets in message {msn}"
            : msn < 1 || msn > selection.Count ? $"no message {msn}"
            : selection.Maildrop!.IsDeleted(msn - 1) ? $"message {msn} is deleted"
            : $"message {msn} is empty";
        return ReplyAsync(Pop2ReplyKind.Length, length, text, cancellationToken);
    }
}
