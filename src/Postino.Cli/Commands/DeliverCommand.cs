using System.CommandLine;
using Microsoft.Extensions.Logging;
using Postino.Cli.Delivery;
using Postino.Server.Delivery;
using Postino.Storage;
using Postino.Storage.Maildir;
using Postino.Storage.Users;

namespace Postino.Cli.Commands;

/// <summary>
/// <c>postino deliver [--data-dir DIR] [-f SENDER] USER... &lt; message</c>: a local delivery agent (Postfix
/// mailbox_command, procmail, scripts). Exit codes are sysexits: 0 delivered, 67 unknown user, 73 cannot create,
/// 75 temporary failure or over quota.
/// </summary>
internal static partial class DeliverCommand
{
    /// <summary>Opens the store, the users, the spool folder and the delivery options of a data folder (the composition <c>serve</c> uses too).</summary>
    public delegate ValueTask<(IMailStore Store, IUserDirectory Users, string SpoolFolder, DeliveryOptions Delivery)> BackendOpener(string dataDir, string? store, CancellationToken cancellationToken);

    public const string Description = "Deliver one message from standard input to local users (for an MTA); exits with sysexits codes.";

    public static Command Create(BackendOpener openBackend, Func<Stream> openInput) =>
        Configure(new Command("deliver", Description), openBackend, openInput);

    /// <summary>
    /// Gives <paramref name="command"/> deliver's arguments and action: the <c>deliver</c> subcommand here, and the root
    /// command of the NativeAOT <c>postino-deliver</c> (src/Postino.Deliver), which compiles this same file.
    /// </summary>
    public static Command Configure(Command command, BackendOpener openBackend, Func<Stream> openInput)
    {
        var dataDir = CommonOptions.DataDir();
        var storeOption = CommonOptions.Store();
        var sender = new Option<string?>("-f", "--from")
        {
            Description = "The envelope sender, written as Return-Path (\"\" or <> for a bounce).",
        };
        var users = new Argument<string[]>("USER")
        {
            Description = "The local users to deliver to (a name, or an address whose user is looked up).",
            Arity = ArgumentArity.OneOrMore,
        };
        command.Options.Add(dataDir);
        command.Options.Add(storeOption);
        command.Options.Add(sender);
        command.Arguments.Add(users);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var logger = new LazyConsoleLogger("postino.deliver");
            try
            {
                var (store, directory, spoolFolder, delivery) = await openBackend(parseResult.GetValue(dataDir) ?? CommonOptions.DefaultDataDir, parseResult.GetValue(storeOption), cancellationToken);

                // The data folder's private spool/, never a shared temporary folder another user could create first.
                var agent = new LocalDeliveryAgent(store, new RecipientResolver(directory, [], delivery), new FileMessageSpool(spoolFolder), logger);
                await using var input = openInput();
                return await agent.DeliverAsync(parseResult.GetValue(users) ?? [], parseResult.GetValue(sender), input, cancellationToken);
            }
            catch (StorageException ex)
            {
                logger.LogError(ex, "Cannot open the mail store");
                return ex.IsTemporary ? SysExits.TemporaryFailure : SysExits.CannotCreate;
            }
        });
        return command;
    }
}
