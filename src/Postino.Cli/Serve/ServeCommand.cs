using System.CommandLine;
using Postino.Cli.Commands;
using Postino.Server.Hosting;

namespace Postino.Cli.Serve;

/// <summary><c>postino serve</c>: runs the servers until SIGINT/SIGTERM.</summary>
internal static class ServeCommand
{
    /// <summary>Flag -> configuration key: the command line wins over the config file and the environment.</summary>
    private static readonly (string Flag, string Key, string Description)[] ListenerFlags =
    [
        ("--pop3", "Pop3:Listen", "POP3 (with STLS) listener, ADDR:PORT or none. " + ListenerDefaults.Describe("Pop3")),
        ("--pop3s", "Pop3s:Listen", "POP3S (implicit TLS) listener. " + ListenerDefaults.Describe("Pop3s")),
        ("--pop2", "Pop2:Listen", "POP2 listener. " + ListenerDefaults.Describe("Pop2")),
        ("--lmtp", "Lmtp:Listen", "LMTP listener, ADDR:PORT, unix:PATH or none. " + ListenerDefaults.Describe("Lmtp")),
        ("--smtp", "Smtp:Listen", "Inbound SMTP listener (local domains only). " + ListenerDefaults.Describe("Smtp")),
        ("--autoconfig", "Autoconfig:Listen", "HTTP(S) listener for Thunderbird autoconfig and Outlook Autodiscover, ADDR:PORT or none. Default: off."),
        ("--metrics", "Metrics:Listen", "HTTP listener for /metrics (Prometheus) and /healthz, ADDR:PORT or none. Default 127.0.0.1:9110; off with --config."),
    ];

    public static Command Create()
    {
        var command = new Command("serve", "Run the POP3, POP3S, POP2, LMTP and SMTP servers until SIGINT/SIGTERM.");
        var config = CommonOptions.Config();
        var dataDir = CommonOptions.DataDir();
        var hostName = new Option<string?>("--host-name") { Description = "The name in greetings and Received headers (default: the machine's)." };
        var domains = new Option<string[]>("--domain")
        {
            Description = "A local mail domain for inbound SMTP (repeatable). Default: localhost and the host name.",
            AllowMultipleArgumentsPerToken = false,
        };
        var store = CommonOptions.Store();
        var nodeName = new Option<string?>("--node-name")
        {
            Description = "This node's name in every log line (several nodes on one store). Default: the host name.",
            HelpName = "NAME",
        };
        command.Options.Add(config);
        command.Options.Add(dataDir);
        command.Options.Add(store);
        command.Options.Add(nodeName);
        command.Options.Add(hostName);
        command.Options.Add(domains);
        var listeners = ListenerFlags.Select(f => (Option: new Option<string?>(f.Flag) { Description = f.Description }, f.Key)).ToList();
        foreach (var (option, _) in listeners)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            SocketEventThreads.Enable();
            var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var (option, key) in listeners)
            {
                overrides[key] = parseResult.GetValue(option);
            }

            overrides["Server:HostName"] = parseResult.GetValue(hostName);
            overrides[Configuration.StoreSettings.Key] = parseResult.GetValue(store);
            overrides[Configuration.NodeName.Key] = parseResult.GetValue(nodeName);
            var domainList = parseResult.GetValue(domains) ?? [];
            for (var i = 0; i < domainList.Length; i++)
            {
                overrides[$"Domains:{i}"] = domainList[i];
            }

            return await ServeRunner.RunAsync(
                parseResult.GetValue(config), parseResult.GetValue(dataDir), overrides, parseResult.InvocationConfiguration.Output, cancellationToken);
        });
        return command;
    }
}
