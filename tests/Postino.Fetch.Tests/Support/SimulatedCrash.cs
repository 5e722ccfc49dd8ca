namespace Postino.Fetch.Tests.Support;

/// <summary>Thrown by a fault-injection hook: the fetcher stops dead at that point, as if killed.</summary>
internal sealed class SimulatedCrash : Exception
{
    public SimulatedCrash()
        : base("simulated crash")
    {
    }

    public SimulatedCrash(string message)
        : base(message)
    {
    }

    public SimulatedCrash(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
