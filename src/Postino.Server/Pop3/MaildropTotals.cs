using Postino.Storage;

namespace Postino.Server.Pop3;

/// <summary>Counts of the messages a client can see (those not marked deleted).</summary>
public static class MaildropTotals
{
    public static (int Count, long Octets) Visible(IMaildrop maildrop)
    {
        ArgumentNullException.ThrowIfNull(maildrop);
        var count = 0;
        var octets = 0L;
        for (var index = 0; index < maildrop.Messages.Count; index++)
        {
            if (!maildrop.IsDeleted(index))
            {
                count++;
                // Saturating: sizes come from file names and index lines, which a mailbox owner can write.
                octets = SaturatingSum.Add(octets, maildrop.Messages[index].Size);
            }
        }

        return (count, octets);
    }

    public static int Deleted(IMaildrop maildrop)
    {
        ArgumentNullException.ThrowIfNull(maildrop);
        var count = 0;
        for (var index = 0; index < maildrop.Messages.Count; index++)
        {
            if (maildrop.IsDeleted(index))
            {
                count++;
            }
        }

        return count;
    }
}
