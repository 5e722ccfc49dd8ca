namespace Postino.Cli;

internal static class Program
{
    public static int Main(string[] args)
    {
        Console.WriteLine("postino: not built yet");
        return args.Length == 0 ? 0 : 64;
    }
}
