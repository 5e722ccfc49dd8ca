using Postino.Server.Sessions;
using Postino.Storage;

namespace Postino.Server.Pop2;

/// <summary>
/// The selected mailbox and the current-message indicator of RFC 937 section "current message". The count and the
/// numbering are those of the snapshot: messages marked with ACKD keep their numbers and report length 0.
/// </summary>
public sealed class Pop2Selection(string name, IMaildrop? maildrop)
{
    public string Name { get; } = name;

    /// <summary>Null when the selected folder does not exist (FOLD answered <c>#0</c>).</summary>
    public IMaildrop? Maildrop { get; } = maildrop;

    /// <summary>1-based; set to 1 by HELO and FOLD, to n by READ n, +1 by ACKS and ACKD.</summary>
    public int CurrentMsn { get; set; } = 1;

    public int Count => Maildrop?.Messages.Count ?? 0;

    /// <summary>
    /// The octets RETR would send for message <paramref name="msn"/>: its wire size, or 0 when there is no such
    /// message or it was marked deleted in this session.
    /// </summary>
    public long LengthOf(int msn)
    {
        if (Maildrop is null || msn < 1 || msn > Maildrop.Messages.Count || Maildrop.IsDeleted(MessageNumber.ToIndex(msn)))
        {
            return 0;
        }

        return Maildrop.Messages[MessageNumber.ToIndex(msn)].Size;
    }
}
