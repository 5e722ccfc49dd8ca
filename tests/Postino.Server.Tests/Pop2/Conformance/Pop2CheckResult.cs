namespace Postino.Server.Tests.Pop2.Conformance;

/// <summary>One conformance check: its name, whether it passed, and what was seen when it did not.</summary>
public sealed record Pop2CheckResult(string Name, bool Passed, string Detail)
{
    public override string ToString() => $"{(Passed ? "PASS" : "FAIL")} {Name}{(Passed ? "" : ": " + Detail)}";
}
