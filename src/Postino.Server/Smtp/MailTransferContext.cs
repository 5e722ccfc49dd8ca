using Microsoft.Extensions.Logging;
using Postino.Server.Delivery;
using Postino.Storage;

namespace Postino.Server.Smtp;

/// <summary>What an SMTP or LMTP session needs from the server: the store, who is local, a spool and a clock.</summary>
public sealed record MailTransferContext(
    IMailStore Store,
    RecipientResolver Recipients,
    IMessageSpool Spool,
    TimeProvider Time,
    ILogger Logger,
    IStartTlsUpgrade? StartTls = null);
