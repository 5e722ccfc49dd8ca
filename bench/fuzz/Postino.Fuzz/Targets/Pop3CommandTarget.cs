using Postino.Protocols.Pop3;

namespace Postino.Fuzz.Targets;

/// <summary>The POP3 server's command parser and argument checks, on whatever a client sends.</summary>
internal static class Pop3CommandTarget
{
    public static void Run(byte[] input)
    {
        var parser = new Pop3CommandParser();
        var buffer = Chunks.Split(input);
        while (parser.TryParse(ref buffer, out var command, out _) != Pop3ParseStatus.NeedMoreData)
        {
            if (command is null)
            {
                continue;
            }

            Pop3Arguments.ParseMessageNumber(command, out _);
            Pop3Arguments.ParseTop(command, out _, out _);
            Pop3Arguments.ParseCount(command.Arguments, out _);
            _ = command.Args.Count;
        }

        // A SASL exchange reads raw lines with the same limits.
        buffer = Chunks.Split(input);
        while (parser.TryReadLine(ref buffer, out _) != Postino.Protocols.Text.LineReadStatus.NeedMoreData)
        {
        }
    }
}
