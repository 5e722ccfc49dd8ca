namespace Postino.Interop.Tests;

/// <summary>Where the built <c>postino.dll</c> is: copied next to the tests by the project reference.</summary>
internal static class PostinoBinary
{
    public static string Path { get; } = System.IO.Path.Combine(AppContext.BaseDirectory, "postino.dll");
}
