using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Postino.Server.Delivery;
using Postino.Storage;
using Postino.Storage.Files;

namespace Postino.Cli.Delivery;

/// <summary>
/// <c>postino deliver</c>: reads one message from a stream (stdin) and stores it durably for each named user, for
/// Postfix's mailbox_command, procmail and scripts. The answer is a sysexits code; 0 only when every user has it.
/// </summary>
public sealed class LocalDeliveryAgent(
    IMailStore store,
    RecipientResolver recipients,
    IMessageSpool spool,
    ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <param name="sender">The envelope sender (<c>-f</c>), written as Return-Path; when null, the sender of a
    /// leading mbox <c>From </c> line is used if there is one.</param>
    public async Task<int> DeliverAsync(IReadOnlyList<string> users, string? sender, Stream input, CancellationToken cancellationToken)
    {
        if (users.Count == 0)
        {
            return SysExits.Usage;
        }

        // A CR or LF here would end the Return-Path header and start one of the caller's choosing.
        if ((sender is not null && HeaderText.HasControlCharacters(sender)) || users.Any(HeaderText.HasControlCharacters))
        {
            _logger.LogError("Control characters in the sender or a recipient: refused");
            return SysExits.Usage;
        }

        // Every recipient is checked before anything is stored, so an unknown one never leaves a partial delivery.
        var resolved = new List<string>();
        foreach (var name in users)
        {
            var resolution = await recipients.ResolveUserAsync(name, cancellationToken);
            switch (resolution.Status)
            {
                case RecipientStatus.Accepted:
                    resolved.Add(resolution.User!);
                    break;
                case RecipientStatus.TemporaryFailure:
                    _logger.LogError("Cannot look up user {User}", name);
                    return SysExits.TemporaryFailure;
                default:
                    _logger.LogError("No such user: {User}", name);
                    return SysExits.NoUser;
            }
        }

        ISpooledMessage message;
        try
        {
            message = await SpoolAsync(sender, input, cancellationToken);
        }
        catch (UnsafeFolderException ex)
        {
            _logger.LogError("Cannot spool the message: {Reason}", ex.Message);
            return SysExits.Config;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogError(ex, "Cannot spool the message");
            return ex is UnauthorizedAccessException ? SysExits.CannotCreate : SysExits.TemporaryFailure;
        }

        await using (message)
        {
            // One store call for every user: on PostgreSQL, one transaction.
            var outcomes = await store.DeliverAsync(resolved, message, cancellationToken);
            var codes = outcomes.Select(ExitCode).ToList();
            return codes.FirstOrDefault(code => code != SysExits.Ok, SysExits.Ok);
        }
    }

    private int ExitCode(RecipientDelivery outcome)
    {
        if (outcome.Result is { } result)
        {
            _logger.LogInformation("Delivered {Size} octets to {User} as {StorageId}", result.Size, outcome.User, result.StorageId);
            return SysExits.Ok;
        }

        var failure = outcome.Failure!;
        var kind = DeliveryFailure.Classify(failure);
        if (kind is null)
        {
            // Not a delivery failure: a bug, which propagates as it did when users were delivered one call each.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        // An expected failure: the reason is enough, a stack trace would only bury it.
        _logger.LogError("Delivery to {User} failed ({Kind}): {Reason}", outcome.User, kind, failure.Message);
        return kind.Value == DeliveryFailureKind.Permanent ? SysExits.CannotCreate : SysExits.TemporaryFailure;
    }

    private async Task<ISpooledMessage> SpoolAsync(string? sender, Stream input, CancellationToken cancellationToken)
    {
        var message = await spool.CreateAsync(cancellationToken);
        try
        {
            var buffer = new byte[64 * 1024];
            var filled = await FillAsync(input, buffer, cancellationToken);
            var start = 0;
            if (MboxFromLine.TryRead(buffer.AsSpan(0, filled), out var lineLength, out var envelopeSender))
            {
                start = lineLength;
                sender ??= envelopeSender;
            }

            if (sender is not null)
            {
                var path = sender.Length == 0 || sender == "<>" ? "<>" : $"<{sender.Trim('<', '>')}>";
                await message.WriteAsync(Encoding.UTF8.GetBytes(TraceHeaders.ReturnPath(path)), cancellationToken);
            }

            await message.WriteAsync(buffer.AsMemory(start, filled - start), cancellationToken);
            int read;
            while ((read = await input.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await message.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            return message;
        }
        catch
        {
            await message.DisposeAsync();
            throw;
        }
    }

    /// <summary>Reads until the buffer is full or the input ends, so a leading From line is seen whole.</summary>
    private static async Task<int> FillAsync(Stream input, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        int read;
        while (filled < buffer.Length && (read = await input.ReadAsync(buffer.AsMemory(filled), cancellationToken)) > 0)
        {
            filled += read;
        }

        return filled;
    }
}
