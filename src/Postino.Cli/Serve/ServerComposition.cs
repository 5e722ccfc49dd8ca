using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Postino.Cli.Configuration;
using Postino.Server.Auth;
using Postino.Server.Hosting;
using Postino.Server.Lmtp;
using Postino.Server.Metrics;
using Postino.Server.Pop2;
using Postino.Server.Pop3;
using Postino.Server.Pop3.Lang;
using Postino.Server.Pop3.Sasl;
using Postino.Server.Pop3.Tls;
using Postino.Server.Retention;
using Postino.Server.Security;
using Postino.Server.Smtp;
using Postino.Server.Tls;
using Postino.Storage;
using Postino.Storage.Retention;
using Postino.Storage.Users;

namespace Postino.Cli.Serve;

/// <summary>
/// The composition root of <c>postino serve</c>: reads every section of the configuration, validates it (a problem
/// names the option), and builds one <see cref="PostinoServer"/> with the POP3, POP3S, POP2, LMTP and SMTP listeners
/// over the site's Maildir store and users file.
/// </summary>
internal static class ServerComposition
{
    public static PostinoServer Build(PostinoSite site, TimeProvider time, ILoggerFactory loggers, Action<ILoggingBuilder> logging)
    {
        var configuration = site.Configuration;
        var embedded = site.IsEmbeddedDefault;
        var serverOptions = ConfigurationLoader.Bind(configuration, "Server", new PostinoServerOptions { HostName = site.HostName });
        var pop3 = ConfigurationLoader.Bind(configuration, "Pop3", new Pop3Options(), ListenerSection.Keys);
        ConfigurationLoader.CheckKeys(configuration, "Pop3s", ListenerSection.Keys);
        var limits = ConfigurationLoader.Bind(configuration, "Limits", new LimitSettings());
        var admission = limits.Admission();
        ListenerSection Listener(string name, string section) => ListenerSection.Read(configuration, name, section, embedded, admission);
        var auth = ConfigurationLoader.Bind(configuration, "Auth", new AuthSettings());
        var plaintext = auth.PlaintextPolicy();

        // Bound once, here, so that a bad value stops the start now, not at the first connection.
        var pop2 = ConfigurationLoader.Bind(
            configuration, "Pop2", new Pop2Options { HostName = serverOptions.HostName }, ["Listen", .. ListenerAdmissionSettings.Keys]);

        void ConfigureMailTransfer(MailTransferOptions o, string section)
        {
            o.HostName = serverOptions.HostName;
            o.SpoolDirectory = site.Data.SpoolFolder;
            o.UnknownRecipientDelay = limits.LoginPenaltyInitial;
            o.UnknownRecipientMaxDelay = limits.LoginPenaltyMax;
            string[] allowed = section == "Smtp" ? ListenerSection.Keys : ["Listen", .. ListenerAdmissionSettings.Keys];
            ConfigurationLoader.Bind(configuration, section, o, allowed);
        }

        var builder = new PostinoServerBuilder(serverOptions);
        logging(builder.Logging);
        var services = builder.Services;
        services.AddSingleton(time);
        services.AddSingleton<IUserDirectory>(site.Users);
        services.AddSingleton(site.Users);
        services.AddSingleton<IMailStore>(new MeasuredMailStore(site.Store, PostinoMetrics.Instance));
        services.AddSingleton(site.Retention);
        services.AddSingleton(limits.LoginPenalty());
        services.AddSingleton(limits.SessionLimits());
        services.AddSingleton(new LoginDelayOptions { DefaultDelay = TimeSpan.FromSeconds(pop3.LoginDelaySeconds) });
        services.AddSingleton(auth.CacheOptions());
        // Before AddPostinoAuthentication, whose SecretLookup takes it: SCRAM salts stable across restarts, not computable.
        services.AddSingleton(LoadInstallationSecret(site.Data.Path));
        services.AddPostinoAuthentication();

        var tls = TlsSettings.Build(configuration, site.Data, serverOptions.HostName, time, loggers);

        // A listener may have its own certificate (e.g. POP3S under another name); else the global one serves it.
        var stlsTls = TlsSettings.BuildForListener(configuration, "Pop3", site.Data, serverOptions.HostName, time, loggers) ?? tls;
        var pop3sTls = TlsSettings.BuildForListener(configuration, "Pop3s", site.Data, serverOptions.HostName, time, loggers) ?? tls;
        var smtpTls = TlsSettings.BuildForListener(configuration, "Smtp", site.Data, serverOptions.HostName, time, loggers);
        if (smtpTls is { } smtpOwn)
        {
            // Registered before AddPostinoSmtp, whose default STARTTLS uses the global certificate.
            services.AddSingleton<IStartTlsUpgrade>(new TlsStartTlsUpgrade(smtpOwn.Settings));
        }

        foreach (var own in new[] { stlsTls, pop3sTls, smtpTls }.Where(t => t is not null && !ReferenceEquals(t.Value.Provider, tls?.Provider)))
        {
            // Registered too, so that SIGHUP reloads every certificate.
            services.AddSingleton(own!.Value.Provider);
        }
        PostinoMetrics.Instance.ObserveCertificates(() => new[] { ("default", tls), ("pop3", stlsTls), ("pop3s", pop3sTls), ("smtp", smtpTls) }
            .Where(c => c.Item2 is not null && (c.Item1 == "default" || !ReferenceEquals(c.Item2.Value.Provider, tls?.Provider)))
            .Select(c => (c.Item1, c.Item2!.Value.Provider.Current?.NotAfter))
            .Where(c => c.NotAfter is not null)
            .Select(c => (c.Item1, c.NotAfter!.Value)));
        if (tls is { } available)
        {
            services.AddSingleton<ICertificateProvider>(available.Provider);
            services.AddSingleton(available.Provider);
            services.AddSingleton(available.Settings);
        }

        services.AddSingleton(ConfigurationLoader.Bind(configuration, "Delivery", new Postino.Server.Delivery.DeliveryOptions()));
        services.AddSingleton(new RetentionSweepOptions { Interval = RetentionSettings.SweepInterval(configuration) });
        services.AddSingleton<IRetentionRuleSource>(site.Retention);
        services.AddSingleton(site.UserLister);
        if (site.SweepLeadership is { } leadership)
        {
            services.AddSingleton(leadership);
        }

        services.AddSingleton<IRetentionAtCommit>(site.Retention);
        services.AddSingleton<IPop3ExpirePolicy, RetentionExpirePolicy>();
        services.AddSingleton<RetentionSweeper>();
        services.AddHostedService<RetentionSweeperService>();

        services.AddPop3(pop3);
        // The plaintext policy (Auth:TrustedNetworks) is registered here for POP3 (USER/PASS, APOP, AUTH) and POP2 (HELO).
        services.AddPop3Tls(stlsTls?.Settings, plaintext);
        services.AddPop3Sasl(auth.EnabledMechanisms());
        services.AddPop3International();
        services.AddPop2(pop2);
        services.AddPostinoLmtp(o => ConfigureMailTransfer(o, "Lmtp"));
        services.AddPostinoSmtp(o =>
        {
            ConfigureMailTransfer(o, "Smtp");
            LocalDomains.Apply(configuration, serverOptions.HostName, o.LocalDomains);
        });

        // Each listener admits through its own caps (Limits, overridden in its section), ahead of TLS.
        void AddListener<THandler>(ListenerSection listener, TlsServerSettings? implicitTls = null)
            where THandler : Microsoft.AspNetCore.Connections.ConnectionHandler =>
            builder.AddListener<THandler>(
                listener.Name,
                listener.Address,
                implicitTls is null ? ListenerTls.None : ListenerTls.Implicit,
                listen =>
                {
                    if (implicitTls is not null)
                    {
                        listen.UseImplicitTls(implicitTls);
                    }

                    // After admission (and the TLS handshake): the connection reached its protocol.
                    listen.UseAdmittedMark(PostinoMetrics.Instance, listener.Name, implicitTls is not null);
                },
                listener.Admission);

        AddListener<Pop3ConnectionHandler>(Listener("pop3", "Pop3"));
        if (pop3sTls is { } secured)
        {
            AddListener<Pop3ConnectionHandler>(Listener("pop3s", "Pop3s"), secured.Settings);
        }

        AddListener<Pop2ConnectionHandler>(Listener("pop2", "Pop2"));
        AddListener<LmtpConnectionHandler>(Listener("lmtp", "Lmtp"));
        AddListener<SmtpConnectionHandler>(Listener("smtp", "Smtp"));
        return builder.Build();
    }

    private static InstallationSecret LoadInstallationSecret(string dataFolder)
    {
        try
        {
            return InstallationSecret.LoadOrCreate(dataFolder);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationProblem($"the installation secret: {exception.Message}");
        }
    }
}
