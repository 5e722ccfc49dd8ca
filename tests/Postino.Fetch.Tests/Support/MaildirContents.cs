namespace Postino.Fetch.Tests.Support;

internal static class MaildirContents
{
    /// <summary>The contents of every delivered message (new/ and cur/), sorted.</summary>
    public static List<string> Read(string maildir) =>
        new[] { "new", "cur" }
            .Select(sub => System.IO.Path.Combine(maildir, sub))
            .Where(Directory.Exists)
            .SelectMany(Directory.EnumerateFiles)
            .Select(File.ReadAllText)
            .Order(StringComparer.Ordinal)
            .ToList();
}
