using Postino.Protocols.Text;
using Postino.Storage;

namespace Postino.Server.Tests.Fakes;

/// <summary>One user's mailbox in <see cref="FakeMailStore"/>, with what tests want to inspect afterwards.</summary>
public sealed class FakeMailbox(string user)
{
    public string User { get; } = user;

    public List<FakeMessage> Messages { get; } = [];

    public bool IsLocked { get; set; }

    public int OpenCount { get; set; }

    /// <summary>Thrown by OpenAsync when set.</summary>
    public StorageException? OpenFailure { get; set; }

    /// <summary>Thrown by CommitAsync when set.</summary>
    public StorageException? CommitFailure { get; set; }

    public int CommitCount { get; set; }

    /// <summary>UIDLs removed by commits.</summary>
    public List<string> DeletedUidls { get; } = [];

    /// <summary>UIDLs recorded as retrieved by commits.</summary>
    public List<string> RetrievedUidls { get; } = [];

    public FakeMessage Add(string uidl, byte[] stored)
    {
        var message = new FakeMessage(uidl, stored, WireSize(stored));
        Messages.Add(message);
        return message;
    }

    public FakeMessage Add(string uidl, string stored) => Add(uidl, System.Text.Encoding.UTF8.GetBytes(stored));

    private static long WireSize(byte[] stored)
    {
        var encoder = new MessageEncoder(dotStuff: false);
        var counter = new CountingBufferWriter();
        encoder.Encode(stored, counter);
        encoder.Complete(counter);
        return counter.Count;
    }
}

/// <summary>A stored message; <see cref="Open"/> can be replaced to stream generated or failing content.</summary>
public sealed class FakeMessage(string uidl, byte[] stored, long size)
{
    public string Uidl { get; } = uidl;

    public byte[] Stored { get; } = stored;

    public long Size { get; set; } = size;

    public Func<Stream> Open { get; set; } = () => new MemoryStream(stored, writable: false);
}
