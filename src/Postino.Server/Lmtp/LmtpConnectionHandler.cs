using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Postino.Server.Delivery;
using Postino.Server.Sessions;
using Postino.Server.Smtp;
using Postino.Storage;
using Postino.Storage.Users;

namespace Postino.Server.Lmtp;

/// <summary>LMTP (RFC 2033) for an MTA in front of Postino (register with <c>ListenOptions.UseLmtp()</c>).</summary>
public sealed class LmtpConnectionHandler(
    LmtpOptions options,
    IMailStore store,
    IUserDirectory users,
    TimeProvider time,
    ILogger<LmtpConnectionHandler> logger,
    IHostApplicationLifetime? lifetime = null,
    SessionLimits? limits = null,
    DeliveryOptions? delivery = null)
    : MailTransferConnectionHandler(
        MailTransferDialect.Lmtp,
        options,
        new MailTransferContext(
            store,
            new RecipientResolver(users, [], delivery),
            new FileMessageSpool(options.SpoolDirectory),
            time,
            logger,
            Stopping: lifetime?.ApplicationStopping ?? default,
            Limits: limits));
