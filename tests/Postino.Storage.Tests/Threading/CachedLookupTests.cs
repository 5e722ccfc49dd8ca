using System.Runtime.Versioning;
using Postino.Storage.Files;
using Postino.Testing;

namespace Postino.Storage.Tests.Threading;

[SupportedOSPlatform("linux")]
public sealed class CachedLookupTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void RESOLVE_CACHED_is_there_on_this_kernel()
    {
        // Linux 5.12 brought it; the machines this project runs its tests on are newer.
        Assert.True(Environment.OSVersion.Version >= new Version(5, 12), $"kernel {Environment.OSVersion.Version}");
        Assert.True(CachedLookup.IsCached(_folder.Path));
        Assert.True(CachedLookup.IsAvailable);
    }

    [Fact]
    public void Paths_just_looked_up_resolve_from_the_cache()
    {
        var cur = Directory.CreateDirectory(Path.Combine(_folder.Path, "cur")).FullName;
        var file = Path.Combine(_folder.Path, "index");
        File.WriteAllText(file, "x");

        Assert.True(CachedLookup.AllCached(cur, file));
    }

    [Fact]
    public void A_missing_path_is_not_cached()
    {
        var present = Directory.CreateDirectory(Path.Combine(_folder.Path, "new")).FullName;
        var missing = Path.Combine(_folder.Path, "missing");

        Assert.False(CachedLookup.IsCached(missing));
        Assert.False(CachedLookup.AllCached(present, missing));
        Assert.True(CachedLookup.IsAvailable, "a missing path must not turn the probe off");
    }
}
