using Postino.Protocols.Pop2;
using Postino.Server.Pop2;

namespace Postino.Server.Tests.Pop2;

/// <summary>The table is exactly RFC 937's (spec section 4); every other state/command pair is refused.</summary>
public sealed class Pop2StateTableTests
{
    private static readonly Dictionary<(Pop2State, Pop2Verb), Pop2State> Spec = new()
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

    public static TheoryData<Pop2State, Pop2Verb> AllPairs()
    {
        var data = new TheoryData<Pop2State, Pop2Verb>();
        foreach (var state in Enum.GetValues<Pop2State>())
        {
            foreach (var verb in Enum.GetValues<Pop2Verb>())
            {
                data.Add(state, verb);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Each_state_and_command_pair_follows_the_spec(Pop2State state, Pop2Verb verb)
    {
        var expected = Spec.TryGetValue((state, verb), out var next) ? next : (Pop2State?)null;

        Assert.Equal(expected, Pop2StateTable.Next(state, verb));
    }
}
