using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Postino.Server.Delivery;
using Postino.Server.Sessions;
using Postino.Storage;
using Postino.Storage.Users;

namespace Postino.Server.Smtp;

/// <summary>Inbound SMTP for the local domains (register with <c>ListenOptions.UseSmtp()</c>).</summary>
public sealed class SmtpConnectionHandler(
    SmtpOptions options,
    IMailStore store,
    IUserDirectory users,
    TimeProvider time,
    ILogger<SmtpConnectionHandler> logger,
    IStartTlsUpgrade? startTls = null,
    IHostApplicationLifetime? lifetime = null,
    SessionLimits? limits = null,
    DeliveryOptions? delivery = null)
    : MailTransferConnectionHandler(
        MailTransferDialect.Smtp,
        options,
        new MailTransferContext(
            store,
            new RecipientResolver(users, options.LocalDomains, delivery),
            new FileMessageSpool(options.SpoolDirectory),
            time,
            logger,
            startTls,
            lifetime?.ApplicationStopping ?? default,
            limits));
