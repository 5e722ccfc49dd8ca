using Microsoft.Extensions.Logging;
using Postino.Server.Delivery;
using Postino.Server.Sessions;
using Postino.Storage;

namespace Postino.Server.Smtp;

/// <summary>What an SMTP or LMTP session needs from the server: the store, who is local, a spool and a clock.</summary>
/// <param name="Stopping">Fires when the server begins a graceful stop: a session waiting for a command then says
/// 421 and closes; a transfer in DATA is allowed to finish first.</param>
/// <param name="Limits">The command, login and data-rate deadlines (defaults when null).</param>
public sealed record MailTransferContext(
    IMailStore Store,
    RecipientResolver Recipients,
    IMessageSpool Spool,
    TimeProvider Time,
    ILogger Logger,
    IStartTlsUpgrade? StartTls = null,
    CancellationToken Stopping = default,
    SessionLimits? Limits = null);
