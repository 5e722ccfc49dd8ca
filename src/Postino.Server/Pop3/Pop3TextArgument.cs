namespace Postino.Server.Pop3;

/// <summary>
/// One argument of a reply text on the hot path: a number or a string, formatted straight into the reply without
/// boxing, an argument array or an intermediate string (see <see cref="Pop3Texts.TryFormat"/>).
/// </summary>
public readonly struct Pop3TextArgument
{
    private readonly string? _text;
    private readonly long _number;

    private Pop3TextArgument(string? text, long number)
    {
        _text = text;
        _number = number;
        IsPresent = true;
    }

    /// <summary>False for the default value: no argument was given.</summary>
    public bool IsPresent { get; }

    public static implicit operator Pop3TextArgument(long number) => new(null, number);

    public static implicit operator Pop3TextArgument(string text) => new(text ?? string.Empty, 0);

    public static Pop3TextArgument FromInt64(long number) => number;

    public static Pop3TextArgument FromString(string text) => text;

    /// <summary>Writes the argument as string.Format with the invariant culture would; false when it does not fit.</summary>
    public bool TryFormat(Span<char> destination, out int written)
    {
        if (_text is null)
        {
            return _number.TryFormat(destination, out written, default, System.Globalization.CultureInfo.InvariantCulture);
        }

        written = _text.Length;
        return _text.TryCopyTo(destination);
    }

    /// <summary>The argument as string.Format takes it (the slow path, for templates it cannot do itself).</summary>
    public object Boxed => _text ?? (object)_number;
}
