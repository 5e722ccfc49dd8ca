namespace Postino.Fuzz.Targets;

/// <summary>
/// Proves the pipeline reports what it should: throws on any input holding a '!', which AFL++ finds in seconds. A
/// run of <c>self-test</c> that ends with no crash means the harness, not Postino, is broken.
/// </summary>
internal static class SelfTestTarget
{
    public static void Run(byte[] input)
    {
        // Through an instrumented assembly, or AFL++ sees no coverage and refuses to start.
        Postino.Protocols.Pop2.Pop2Escapes.Unescape(System.Text.Encoding.Latin1.GetString(input));
        if (Array.IndexOf(input, (byte)'!') >= 0)
        {
            throw new InvalidOperationException("self-test: the fuzzer found the planted crash");
        }
    }
}
