namespace Postino.Server.Sessions;

/// <summary>A protocol's answer to a batch of input: how far it consumed, and what comes next.</summary>
/// <param name="Consumed">Everything before this position was used; the rest waits for its line end.</param>
public readonly record struct SessionBatch(SequencePosition Consumed, SessionStep Step);
