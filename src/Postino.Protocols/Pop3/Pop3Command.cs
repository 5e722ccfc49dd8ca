namespace Postino.Protocols.Pop3;

/// <summary>
/// One POP3 command line: the verb (upper-cased) and the raw argument text after the first space.
/// </summary>
/// <param name="Verb">The keyword in upper case (keywords are case-insensitive on the wire).</param>
/// <param name="Arguments">Everything after the first space, as sent (PASS keeps spaces); empty when there are none.
/// Bytes that are not UTF-8 arrive as U+FFFD.</param>
public sealed record Pop3Command(string Verb, string Arguments)
{
    private string[]? _args;

    /// <summary>True when there is at least one argument (as <c>Args.Count &gt; 0</c>, without splitting).</summary>
    public bool HasArguments => !Arguments.AsSpan().Trim(' ').IsEmpty;

    /// <summary>The arguments split on spaces (runs of spaces count as one separator).</summary>
    public IReadOnlyList<string> Args =>
        _args ??= Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
