using System.Diagnostics.CodeAnalysis;

namespace Postino.Protocols.Pop2;

/// <summary>A parsed command or the reason there is none.</summary>
public readonly struct Pop2ParseResult
{
    private Pop2ParseResult(Pop2Command? command, Pop2CommandError error)
    {
        Command = command;
        Error = error;
    }

    public Pop2Command? Command { get; }

    public Pop2CommandError Error { get; }

    [MemberNotNullWhen(true, nameof(Command))]
    public bool IsCommand => Command is not null;

    public static Pop2ParseResult Of(Pop2Command command) => new(command, Pop2CommandError.None);

    public static Pop2ParseResult Failed(Pop2CommandError error) =>
        error == Pop2CommandError.None ? throw new ArgumentOutOfRangeException(nameof(error)) : new(null, error);

    public override string ToString() => IsCommand ? Command.ToString() : $"error {Error}";
}
