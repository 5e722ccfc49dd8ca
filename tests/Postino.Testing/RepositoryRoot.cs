namespace Postino.Testing;

/// <summary>The repository's root folder (where Postino.slnx is), for tests that run its scripts.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    /// <summary>A script of the repository's <c>scripts/</c> folder.</summary>
    public static string Script(string name) => System.IO.Path.Combine(Path, "scripts", name);

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "Postino.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Postino.slnx not found above " + AppContext.BaseDirectory);
    }
}
