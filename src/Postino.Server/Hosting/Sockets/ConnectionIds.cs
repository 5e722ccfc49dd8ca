namespace Postino.Server.Hosting.Sockets;

/// <summary>Connection ids for logs: 13 characters of base 32, unique in a process and unlikely to repeat across restarts.</summary>
internal static class ConnectionIds
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUV";
    private static long last = DateTime.UtcNow.Ticks;

    public static string Next() => Encode(Interlocked.Increment(ref last));

    internal static string Encode(long id) => string.Create(13, id, static (chars, value) =>
    {
        for (var i = chars.Length - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }
    });
}
