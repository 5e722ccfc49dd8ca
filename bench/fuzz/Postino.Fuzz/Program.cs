using SharpFuzz;

namespace Postino.Fuzz;

/// <summary>
/// <c>postino-fuzz TARGET</c> runs one target under AFL++ (SharpFuzz's fork server, one input per run on stdin);
/// <c>postino-fuzz TARGET --replay PATH...</c> runs files or folders of inputs without AFL and reports the first
/// failure, to check a seed corpus or reproduce a crash.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out var target))
        {
            Console.Error.WriteLine($"usage: postino-fuzz TARGET [--replay PATH...]; targets: {string.Join(", ", FuzzTargets.All.Keys)}");
            return 2;
        }

        if (args.Length > 1 && args[1] == "--replay")
        {
            return Replay(target, args[2..]);
        }

        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            target(copy.ToArray());
        });
        return 0;
    }

    private static int Replay(Action<byte[]> target, string[] paths)
    {
        // Instrumented assemblies record coverage into AFL's shared memory; outside AFL they need a stand-in.
        unsafe
        {
            SharpFuzz.Common.Trace.SharedMem = (byte*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(1 << 16);
        }

        var files = paths.SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories) : [p]).ToList();
        foreach (var file in files)
        {
            target(File.ReadAllBytes(file));
        }

        Console.WriteLine($"{files.Count} inputs ran without a crash");
        return 0;
    }
}
