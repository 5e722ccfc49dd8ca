using System.Globalization;
using System.Text;

namespace Postino.Storage.Dovecot;

/// <summary>
/// Dovecot's <c>dovecot-uidlist</c> of one Maildir folder, read (never written): the header gives the folder's
/// UIDVALIDITY and next UID, each record a message's UID, its extension fields (<c>W</c> wire size, <c>S</c> file size,
/// <c>G</c> GUID, <c>P</c> saved POP3 UIDL, ...) and its file name, matched with the files by base name (the part before
/// <c>:</c>), as Dovecot matches them. Version 3 (Dovecot 1.1 and later):
/// <code>3 V1700000000 N4 G0123...
/// 1 W1234 S1200 :1700000000.M1P2.host,S=1200,W=1234
/// </code>
/// and version 1 (<c>1 UIDVALIDITY NEXTUID</c>, records <c>UID FILENAME</c>) are read. Anything else in a record line
/// (no UID, UIDs out of order, a slash in the name, an over-long line) is skipped with a warning, so one damaged line
/// does not cost the mailbox its other UIDs.
/// </summary>
public sealed class DovecotUidList
{
    public const string FileName = "dovecot-uidlist";

    /// <summary>Longer lines are skipped: Dovecot's own lines are a file name (at most 255 octets) and a few fields.</summary>
    public const int MaxLineLength = 8192;

    private DovecotUidList(uint uidValidity, uint nextUid, IReadOnlyDictionary<string, DovecotUidListRecord> records)
    {
        UidValidity = uidValidity;
        NextUid = nextUid;
        Records = records;
    }

    public uint UidValidity { get; }

    public uint NextUid { get; }

    /// <summary>The records by base name (the file name before <c>:</c>).</summary>
    public IReadOnlyDictionary<string, DovecotUidListRecord> Records { get; }

    /// <summary>Reads the uidlist at <paramref name="path"/>; null when there is none or its header is unusable.</summary>
    /// <param name="warn">told of every skipped line (line number, reason).</param>
    public static DovecotUidList? Load(string path, Action<int, string> warn)
    {
        FileStream stream;
        try
        {
            stream = Files.PrivateFiles.OpenRead(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }

        using (stream)
        {
            return Parse(stream, warn);
        }
    }

    /// <summary>Parses a uidlist; null (with a warning) when the header is missing or unusable.</summary>
    public static DovecotUidList? Parse(Stream stream, Action<int, string> warn)
    {
        using var lines = new BoundedLineReader(stream, MaxLineLength);
        var header = lines.Next();
        if (header is null)
        {
            warn(1, "empty file");
            return null;
        }

        if (header.Value.TooLong || !TryParseHeader(header.Value.Text, out var version, out var uidValidity, out var nextUid))
        {
            warn(1, "unusable header");
            return null;
        }

        var records = new Dictionary<string, DovecotUidListRecord>(StringComparer.Ordinal);
        uint previous = 0;
        var number = 1;
        while (lines.Next() is { } line)
        {
            number++;
            if (line.TooLong)
            {
                warn(number, $"longer than {MaxLineLength} octets");
                continue;
            }

            if (line.Text.Length == 0)
            {
                continue;
            }

            if (ParseRecord(line.Text, version) is not { } record)
            {
                warn(number, "not a record");
                continue;
            }

            if (record.Uid <= previous)
            {
                warn(number, $"UID {record.Uid} not above the previous one ({previous})");
                continue;
            }

            previous = record.Uid;

            // A later line for the same file wins, as in Dovecot (a file expunged and moved back).
            records[record.BaseName] = record;
        }

        return new DovecotUidList(uidValidity, Math.Max(nextUid, previous + 1), records);
    }

    private static bool TryParseHeader(string line, out int version, out uint uidValidity, out uint nextUid)
    {
        version = 0;
        uidValidity = 0;
        nextUid = 0;
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length == 0)
        {
            return false;
        }

        if (fields[0] == "1")
        {
            version = 1;
            return fields.Length >= 3 && TryUInt(fields[1], out uidValidity) && TryUInt(fields[2], out nextUid) && uidValidity != 0;
        }

        if (fields[0] != "3")
        {
            return false;
        }

        version = 3;
        foreach (var field in fields.Skip(1))
        {
            // V and N are the ones that matter here; G (the folder's GUID) and unknown keys are not needed.
            var ok = field[0] switch
            {
                'V' => TryUInt(field.AsSpan(1), out uidValidity),
                'N' => TryUInt(field.AsSpan(1), out nextUid),
                _ => true,
            };
            if (!ok)
            {
                return false;
            }
        }

        return uidValidity != 0;
    }

    private static DovecotUidListRecord? ParseRecord(string line, int version)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || !TryUInt(line.AsSpan(0, space), out var uid) || uid == 0 || uid == uint.MaxValue)
        {
            return null;
        }

        var rest = line.AsSpan(space + 1).TrimStart(' ');
        var extensions = new Dictionary<char, string>();
        string fileName;
        if (version == 3)
        {
            // Extension fields up to the ':' that starts the file name; the file name itself may hold ':' (its info).
            while (rest.Length > 0 && rest[0] != ':')
            {
                var end = rest.IndexOf(' ');
                var field = end < 0 ? rest : rest[..end];
                if (!char.IsAsciiLetter(field[0]))
                {
                    return null;
                }

                extensions[field[0]] = field[1..].ToString();
                rest = end < 0 ? [] : rest[end..].TrimStart(' ');
            }

            if (rest.Length < 2)
            {
                return null;
            }

            fileName = rest[1..].ToString();
        }
        else
        {
            fileName = rest.ToString();
        }

        if (fileName.Length == 0 || fileName.Contains('/', StringComparison.Ordinal) || fileName.Any(char.IsControl) || fileName.StartsWith('.'))
        {
            return null;
        }

        var colon = fileName.IndexOf(':', StringComparison.Ordinal);
        var baseName = colon < 0 ? fileName : fileName[..colon];
        return baseName.Length == 0 ? null : new DovecotUidListRecord(uid, baseName, extensions);
    }

    private static bool TryUInt(ReadOnlySpan<char> text, out uint value) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    /// <summary>
    /// Lines of at most <c>max</c> octets; a longer one is reported as too long (its text dropped) without ever being
    /// held whole, so a hostile or broken file cannot make the import hold a huge line.
    /// </summary>
    private sealed class BoundedLineReader(Stream stream, int max) : IDisposable
    {
        private readonly BufferedStream _input = new(stream, 64 * 1024);
        private readonly byte[] _line = new byte[max];

        public (string Text, bool TooLong)? Next()
        {
            var length = 0;
            var tooLong = false;
            int next;
            while ((next = _input.ReadByte()) >= 0)
            {
                if (next == '\n')
                {
                    return Finish(length, tooLong);
                }

                if (length < _line.Length)
                {
                    _line[length++] = (byte)next;
                }
                else
                {
                    tooLong = true;
                }
            }

            return length == 0 && !tooLong ? null : Finish(length, tooLong);
        }

        private (string, bool) Finish(int length, bool tooLong)
        {
            if (tooLong)
            {
                return (string.Empty, true);
            }

            if (length > 0 && _line[length - 1] == '\r')
            {
                length--;
            }

            return (Encoding.UTF8.GetString(_line, 0, length), false);
        }

        public void Dispose() => _input.Dispose();
    }
}

/// <summary>One record of a <c>dovecot-uidlist</c>: a message's UID, base name and extension fields by key.</summary>
public sealed record DovecotUidListRecord(uint Uid, string BaseName, IReadOnlyDictionary<char, string> Extensions)
{
    /// <summary>The POP3 UIDL Dovecot saved for this message (the <c>P</c> field), if any.</summary>
    public string? SavedPop3Uidl => Extensions.TryGetValue('P', out var uidl) && uidl.Length > 0 ? uidl : null;

    /// <summary>The message's GUID (the <c>G</c> field), if any.</summary>
    public string? Guid => Extensions.TryGetValue('G', out var guid) && guid.Length > 0 ? guid : null;
}
