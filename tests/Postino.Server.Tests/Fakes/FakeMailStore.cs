using System.Collections.Concurrent;
using Postino.Storage;

namespace Postino.Server.Tests.Fakes;

/// <summary>An in-memory mail store: mailboxes of byte arrays, one exclusive session per mailbox, recorded commits.</summary>
public sealed class FakeMailStore : IMailStore
{
    private readonly ConcurrentDictionary<string, FakeMailbox> _mailboxes = new(StringComparer.Ordinal);

    /// <summary>Every mailbox a test has touched.</summary>
    public IEnumerable<FakeMailbox> Mailboxes => _mailboxes.Values;

    public FakeMailbox Mailbox(string user) => _mailboxes.GetOrAdd(user, u => new FakeMailbox(u));

    public ValueTask<IMaildrop> OpenAsync(string user, string? folder, CancellationToken cancellationToken)
    {
        var mailbox = Mailbox(user);
        if (mailbox.OpenFailure is { } failure)
        {
            throw failure;
        }

        lock (mailbox)
        {
            if (mailbox.IsLocked)
            {
                throw new MailboxInUseException(user);
            }

            mailbox.IsLocked = true;
            mailbox.OpenCount++;
        }

        return ValueTask.FromResult<IMaildrop>(new FakeMaildrop(mailbox));
    }

    public ValueTask<DeliveryResult> DeliverAsync(string user, Stream message, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the POP3 tests do not deliver");
}
