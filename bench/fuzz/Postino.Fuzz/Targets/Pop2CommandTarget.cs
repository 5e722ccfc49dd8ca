using Postino.Protocols.Pop2;

namespace Postino.Fuzz.Targets;

/// <summary>The POP2 server's command reader and parser (with RFC 937's escapes), on whatever a client sends.</summary>
internal static class Pop2CommandTarget
{
    public static void Run(byte[] input)
    {
        var reader = new Pop2CommandReader();
        var buffer = Chunks.Split(input);
        while (reader.TryRead(ref buffer, out var result))
        {
            _ = result.Command?.ToString();
        }

        var text = System.Text.Encoding.UTF8.GetString(input);
        var unescaped = Pop2Escapes.Unescape(text);
        Pop2Escapes.IndexOfUnescapedSpace(text);
        if (Pop2Escapes.Unescape(Pop2Escapes.Escape(unescaped)) != unescaped)
        {
            throw new InvalidOperationException("POP2 escaping does not round-trip.");
        }
    }
}
