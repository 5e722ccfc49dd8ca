using Postino.Protocols.Pop2;

namespace Postino.Server.Pop2;

/// <summary>
/// The transition table of RFC 937 (pages 22-23, spec section 4): which commands each state accepts and the state a
/// successful command leads to. Anything not listed is answered with <c>- text</c> and a close; that includes QUIT in
/// NEXT. Failure transitions (bad login, RETR of nothing) lead to DONE from inside the handlers.
/// </summary>
public static class Pop2StateTable
{
    private static readonly Dictionary<(Pop2State State, Pop2Verb Verb), Pop2State> Transitions = new()
    {
        [(Pop2State.Auth, Pop2Verb.Helo)] = Pop2State.Mbox,
        [(Pop2State.Auth, Pop2Verb.Quit)] = Pop2State.Done,
        [(Pop2State.Mbox, Pop2Verb.Quit)] = Pop2State.Done,
        [(Pop2State.Item, Pop2Verb.Quit)] = Pop2State.Done,
        [(Pop2State.Mbox, Pop2Verb.Fold)] = Pop2State.Mbox,
        [(Pop2State.Item, Pop2Verb.Fold)] = Pop2State.Mbox,
        [(Pop2State.Mbox, Pop2Verb.Read)] = Pop2State.Item,
        [(Pop2State.Item, Pop2Verb.Read)] = Pop2State.Item,
        [(Pop2State.Item, Pop2Verb.Retr)] = Pop2State.Next,
        [(Pop2State.Next, Pop2Verb.Acks)] = Pop2State.Item,
        [(Pop2State.Next, Pop2Verb.Ackd)] = Pop2State.Item,
        [(Pop2State.Next, Pop2Verb.Nack)] = Pop2State.Item,
    };

    /// <summary>The state after <paramref name="verb"/> succeeds in <paramref name="state"/>, or null when it is not allowed there.</summary>
    public static Pop2State? Next(Pop2State state, Pop2Verb verb) =>
        Transitions.TryGetValue((state, verb), out var next) ? next : null;
}
