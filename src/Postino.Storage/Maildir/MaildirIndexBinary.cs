using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Postino.Storage.Maildir;

/// <summary>
/// The binary form of the index (version 2), read in one go and parsed without splitting text:
/// <c>"postino-index 2\n"</c>, the directory stamps, the count, then per message its size, arrival and first-retrieval
/// times (milliseconds), UIDL, base name and the rest of its file name (flags), and last <c>"end"</c>, the count again
/// and a checksum of everything before it, so that a file cut short or damaged is noticed and rebuilt.
/// </summary>
internal static class MaildirIndexBinary
{
    public static ReadOnlySpan<byte> Header => "postino-index 2\n"u8;

    private static ReadOnlySpan<byte> EndMarker => "end"u8;

    private const long NoTime = long.MinValue;
    private const ushort NoFileName = ushort.MaxValue;
    private const int TrailerSize = 3 + 4 + 8;

    public static byte[] Write(IEnumerable<MaildirIndexEntry> entries, MaildirIndexStamps stamps)
    {
        var output = new ArrayBufferWriter<byte>(64 * 1024);
        output.Write(Header);
        WriteInt64(output, stamps.New.ModifiedNanoseconds);
        WriteInt64(output, stamps.New.Inode);
        WriteInt64(output, stamps.Cur.ModifiedNanoseconds);
        WriteInt64(output, stamps.Cur.Inode);
        WriteInt64(output, stamps.ScannedAtNanoseconds);
        var countAt = output.WrittenCount;
        WriteInt32(output, 0);
        var count = 0;
        foreach (var entry in entries)
        {
            WriteInt64(output, entry.Size);
            WriteInt64(output, entry.ReceivedAt.ToUnixTimeMilliseconds());
            WriteInt64(output, entry.FirstRetrievedAt?.ToUnixTimeMilliseconds() ?? NoTime);
            WriteString(output, entry.Uidl);
            WriteString(output, entry.BaseName);
            if (entry.FileName is { } fileName && fileName.StartsWith(entry.BaseName, StringComparison.Ordinal))
            {
                WriteString(output, fileName[entry.BaseName.Length..]);
            }
            else
            {
                WriteUInt16(output, NoFileName);
            }

            count++;
        }

        output.Write(EndMarker);
        WriteInt32(output, count);
        var bytes = output.WrittenSpan.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(countAt), count);
        return Seal(bytes);
    }

    /// <summary>The body followed by its checksum, as <see cref="Read"/> expects it (also lets the fuzzer reach past the checksum).</summary>
    public static byte[] Seal(ReadOnlySpan<byte> body)
    {
        var withChecksum = new byte[body.Length + 8];
        body.CopyTo(withChecksum);
        BinaryPrimitives.WriteUInt64LittleEndian(withChecksum.AsSpan(body.Length), Checksum(body));
        return withChecksum;
    }

    public static MaildirIndexLoad Read(ReadOnlySpan<byte> data)
    {
        if (data.Length < Header.Length + (5 * 8) + 4 + TrailerSize)
        {
            return MaildirIndexLoad.Corrupt("file cut short");
        }

        var body = data[..^8];
        if (Checksum(body) != BinaryPrimitives.ReadUInt64LittleEndian(data[^8..]))
        {
            return MaildirIndexLoad.Corrupt("checksum does not match");
        }

        var reader = new Reader(body[Header.Length..]);
        var stamps = new MaildirIndexStamps(
            new DirectoryStamp(reader.Int64(), reader.Int64()),
            new DirectoryStamp(reader.Int64(), reader.Int64()),
            reader.Int64());
        var count = reader.Int32();
        if (count < 0 || count > body.Length / 30)
        {
            return MaildirIndexLoad.Corrupt("bad count");
        }

        var entries = new Dictionary<string, MaildirIndexEntry>(count, StringComparer.Ordinal);
        var ordered = new List<MaildirIndexEntry>(count);
        var uidls = new HashSet<string>(count, StringComparer.Ordinal);
        var suffixes = new List<(byte[] Bytes, string Text)>();
        for (var n = 0; n < count; n++)
        {
            if (!reader.TryEntry(suffixes, out var entry) || !entries.TryAdd(entry.BaseName, entry) || !uidls.Add(entry.Uidl))
            {
                return MaildirIndexLoad.Corrupt($"bad entry {n + 1}");
            }

            ordered.Add(entry);
        }

        return reader.IsEnd(count)
            ? MaildirIndexLoad.Loaded(entries, ordered, stamps)
            : MaildirIndexLoad.Corrupt("end marker does not match");
    }

    /// <summary>A 64-bit multiplicative hash over 8-octet words: a few milliseconds for 100,000 messages.</summary>
    private static ulong Checksum(ReadOnlySpan<byte> data)
    {
        const ulong prime = 1099511628211;
        var hash = 14695981039346656037;
        foreach (var word in MemoryMarshal.Cast<byte, ulong>(data))
        {
            hash = (hash ^ word) * prime;
        }

        foreach (var octet in data[(data.Length & ~7)..])
        {
            hash = (hash ^ octet) * prime;
        }

        return hash ^ (ulong)data.Length;
    }

    private static void WriteInt64(ArrayBufferWriter<byte> output, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(output.GetSpan(8), value);
        output.Advance(8);
    }

    private static void WriteInt32(ArrayBufferWriter<byte> output, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    private static void WriteUInt16(ArrayBufferWriter<byte> output, ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(output.GetSpan(2), value);
        output.Advance(2);
    }

    private static void WriteString(ArrayBufferWriter<byte> output, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        if (length >= NoFileName)
        {
            throw new InvalidOperationException("an index string is over 65534 octets");
        }

        WriteUInt16(output, (ushort)length);
        Encoding.UTF8.GetBytes(value, output.GetSpan(length));
        output.Advance(length);
    }

    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;
        private bool _failed;

        public long Int64() => Take(8) is { IsEmpty: false } bytes ? BinaryPrimitives.ReadInt64LittleEndian(bytes) : 0;

        public int Int32() => Take(4) is { IsEmpty: false } bytes ? BinaryPrimitives.ReadInt32LittleEndian(bytes) : -1;

        public bool TryEntry(List<(byte[] Bytes, string Text)> suffixes, out MaildirIndexEntry entry)
        {
            entry = null!;
            var size = Int64();
            var received = Int64();
            var retrieved = Int64();
            var uidl = String();
            var baseName = String();
            var suffixLength = Take(2) is { IsEmpty: false } lengthBytes ? BinaryPrimitives.ReadUInt16LittleEndian(lengthBytes) : 0;
            string? fileName = null;
            if (suffixLength != NoFileName)
            {
                var suffixBytes = Take(suffixLength);
                fileName = baseName + Suffix(suffixes, suffixBytes);
            }

            if (_failed
                || size < 0
                || uidl is null
                || !MaildirUidl.IsValid(uidl)
                || string.IsNullOrEmpty(baseName)
                || baseName.Contains('/', StringComparison.Ordinal)
                || (fileName is not null && fileName.Contains('/', StringComparison.Ordinal))
                || !IsTime(received)
                || (retrieved != NoTime && !IsTime(retrieved)))
            {
                return false;
            }

            entry = new MaildirIndexEntry(
                baseName,
                uidl,
                size,
                DateTimeOffset.FromUnixTimeMilliseconds(received),
                retrieved == NoTime ? null : DateTimeOffset.FromUnixTimeMilliseconds(retrieved),
                fileName);
            return true;
        }

        public bool IsEnd(int count)
        {
            var marker = Take(EndMarker.Length);
            return !_failed && marker.SequenceEqual(EndMarker) && Int32() == count && !_failed && _position == _data.Length;
        }

        private static bool IsTime(long milliseconds) =>
            milliseconds >= DateTimeOffset.MinValue.ToUnixTimeMilliseconds()
            && milliseconds <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

        /// <summary>Flags are a handful of distinct strings (":2,", ":2,S"): one string each, not one per message.</summary>
        private static string Suffix(List<(byte[] Bytes, string Text)> known, ReadOnlySpan<byte> bytes)
        {
            foreach (var (knownBytes, text) in known)
            {
                if (bytes.SequenceEqual(knownBytes))
                {
                    return text;
                }
            }

            var made = Encoding.UTF8.GetString(bytes);
            if (known.Count < 16)
            {
                known.Add((bytes.ToArray(), made));
            }

            return made;
        }

        private string? String()
        {
            var lengthBytes = Take(2);
            if (lengthBytes.IsEmpty)
            {
                return null;
            }

            var length = BinaryPrimitives.ReadUInt16LittleEndian(lengthBytes);
            var bytes = Take(length);
            return _failed ? null : Encoding.UTF8.GetString(bytes);
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (_failed || count > _data.Length - _position)
            {
                _failed = true;
                return default;
            }

            var bytes = _data.Slice(_position, count);
            _position += count;
            return bytes;
        }
    }
}
