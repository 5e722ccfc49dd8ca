using Postino.Protocols.Smtp;
using Postino.Server.Delivery;

namespace Postino.Server.Smtp;

/// <summary>The command handlers: one short method per verb.</summary>
public sealed partial class MailTransferSession
{
    private readonly List<(SmtpAddress Address, string User)> _recipients = [];
    private string? _helloName;
    private bool _extended;
    private bool _secure;
    private MailFromArguments? _mail;
    private int _unknownRecipients;

    private bool IsLmtp => _dialect == MailTransferDialect.Lmtp;

    private bool CanStartTls => !IsLmtp && !_secure && _context.StartTls is { IsAvailable: true };

    /// <summary>Argument-less verbs with an argument, then the state table, then the verb's handler.</summary>
    private ValueTask<Next> HandleAsync(SmtpCommand command, CancellationToken cancellationToken)
    {
        if (MailTransferStateTable.TakesNoArgument(command.Verb) && command.Argument.Length > 0)
        {
            return ValueTask.FromResult(BadCommand(Replies.NoArguments));
        }

        if (MailTransferStateTable.Refusal(State, command.Verb) is { } refusal)
        {
            return ValueTask.FromResult(BadCommand(refusal));
        }

        return command.Verb switch
        {
            SmtpVerb.Ehlo or SmtpVerb.Helo or SmtpVerb.Lhlo => ValueTask.FromResult(Hello(command)),
            SmtpVerb.Mail => ValueTask.FromResult(Mail(command.Argument)),
            SmtpVerb.Rcpt => RcptAsync(command.Argument, cancellationToken),
            SmtpVerb.Data => DataAsync(cancellationToken),
            SmtpVerb.Rset => ValueTask.FromResult(Simple(ResetTransaction)),
            SmtpVerb.Noop => ValueTask.FromResult(Reply(Replies.Ok)),
            SmtpVerb.Vrfy => ValueTask.FromResult(Reply(Replies.CannotVerify)),
            SmtpVerb.Help => ValueTask.FromResult(Reply(Replies.Help)),
            SmtpVerb.Quit => ValueTask.FromResult(Quit()),
            SmtpVerb.StartTls => ValueTask.FromResult(StartTls()),
            _ => ValueTask.FromResult(BadCommand(Replies.UnknownCommand)),
        };
    }

    private Next Reply(SmtpReply reply)
    {
        Write(reply);
        return Next.Continue;
    }

    private Next Simple(Action action)
    {
        action();
        return Reply(Replies.Ok);
    }

    private Next Quit()
    {
        Write(Replies.Bye);
        return Next.Close;
    }

    private Next Hello(SmtpCommand command)
    {
        var rightVerb = IsLmtp ? command.Verb == SmtpVerb.Lhlo : command.Verb != SmtpVerb.Lhlo;
        if (!rightVerb)
        {
            return BadCommand(IsLmtp ? Replies.UseLhlo : Replies.UseEhlo);
        }

        if (command.Argument.Length == 0)
        {
            return BadCommand(Replies.HelloNeedsDomain);
        }

        // The name goes into the Received header and the reply: only a domain or an address literal may.
        var name = command.Argument.Split(' ')[0];
        if (!SmtpHelloName.IsValid(name))
        {
            return BadCommand(Replies.HelloInvalid);
        }

        // A new greeting resets any transaction (RFC 5321 4.1.4).
        ResetTransaction();
        _helloName = name;
        _extended = command.Verb != SmtpVerb.Helo;
        if (!_extended)
        {
            return Reply(new SmtpReply(250, null, _options.HostName));
        }

        List<string> lines =
        [
            $"{_options.HostName} greets {_helloName}",
            "PIPELINING",
            "ENHANCEDSTATUSCODES",
            "8BITMIME",
            $"SIZE {_options.MaxMessageSize}",
            "SMTPUTF8",
        ];
        if (CanStartTls)
        {
            lines.Add("STARTTLS");
        }

        return Reply(new SmtpReply(250, null, lines));
    }

    private Next Mail(string argument)
    {
        var error = SmtpArgumentParser.TryParseMailFrom(argument, out var mail);
        if (error != SmtpArgumentError.None)
        {
            return BadCommand(error switch
            {
                SmtpArgumentError.BadAddress => Replies.BadSender,
                SmtpArgumentError.UnknownParameter => Replies.UnknownParameter,
                SmtpArgumentError.BadParameterValue => Replies.BadParameterValue,
                _ => Replies.MailSyntax,
            });
        }

        // Service extension parameters exist only after EHLO (RFC 5321 4.1.1.11).
        if (!_extended && (mail!.DeclaredSize is not null || mail.Body != SmtpBodyType.SevenBit || mail.SmtpUtf8))
        {
            return BadCommand(Replies.UnknownParameter);
        }

        if (mail!.ReversePath is { IsInternational: true } && !mail.SmtpUtf8)
        {
            return Reply(Replies.Utf8Required);
        }

        if (mail.DeclaredSize > _options.MaxMessageSize)
        {
            return Reply(Replies.SizeExceeded);
        }

        _mail = mail;
        return Reply(Replies.SenderOk);
    }

    private async ValueTask<Next> RcptAsync(string argument, CancellationToken cancellationToken)
    {
        var error = SmtpArgumentParser.TryParseRcptTo(argument, allowBareLocalPart: IsLmtp, out var address);
        if (error != SmtpArgumentError.None)
        {
            return BadCommand(error switch
            {
                SmtpArgumentError.BadAddress => Replies.BadRecipient,
                SmtpArgumentError.UnknownParameter => Replies.UnknownParameter,
                _ => Replies.RcptSyntax,
            });
        }

        if (address!.IsInternational && !_mail!.SmtpUtf8)
        {
            return Reply(Replies.Utf8Required);
        }

        if (_recipients.Count >= _options.MaxRecipients)
        {
            return Reply(Replies.TooManyRecipients);
        }

        var resolution = await _context.Recipients.ResolveAsync(address, requireLocalDomain: !IsLmtp, cancellationToken);
        switch (resolution.Status)
        {
            case RecipientStatus.Accepted:
                _recipients.Add((address, resolution.User!));
                return Reply(Replies.RecipientOk);
            case RecipientStatus.NotLocal:
                return Reply(Replies.RelayDenied);
            case RecipientStatus.UnknownUser:
                return await UnknownRecipientAsync(cancellationToken);
            default:
                return Reply(Replies.LookupFailed);
        }
    }

    /// <summary>550 for a user that does not exist; with the penalty on, delayed and counted like a failed login.</summary>
    private async ValueTask<Next> UnknownRecipientAsync(CancellationToken cancellationToken)
    {
        if (!_options.UnknownRecipientPenalty)
        {
            return Reply(Replies.UnknownUser);
        }

        var delay = UnknownRecipientDelay(++_unknownRecipients);
        if (delay > TimeSpan.Zero)
        {
            // Replies already written go out first, so a pipelining client is not stalled for earlier commands.
            await _output.FlushAsync(cancellationToken);
            await Task.Delay(delay, _context.Time, cancellationToken);
        }

        return BadCommand(Replies.UnknownUser);
    }

    private TimeSpan UnknownRecipientDelay(int count)
    {
        var delay = _options.UnknownRecipientDelay;
        for (var i = 1; i < count && delay < _options.UnknownRecipientMaxDelay; i++)
        {
            delay *= 2;
        }

        return delay < _options.UnknownRecipientMaxDelay ? delay : _options.UnknownRecipientMaxDelay;
    }

    private Next StartTls()
    {
        if (_secure)
        {
            return BadCommand(Replies.AlreadySecure);
        }

        if (!CanStartTls)
        {
            return BadCommand(Replies.TlsNotAvailable);
        }

        Write(Replies.ReadyToStartTls);
        _kernel.RequestUpgrade(_context.StartTls!.UpgradeAsync);
        return Next.StartTls;
    }

    private void ResetTransaction()
    {
        _mail = null;
        _recipients.Clear();
    }

    private void ResetHello()
    {
        ResetTransaction();
        _helloName = null;
        _extended = false;
    }
}
