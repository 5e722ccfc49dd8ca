namespace Postino.Storage;

/// <summary>Sums of sizes that stop at <see cref="long.MaxValue"/> instead of wrapping to a negative total.</summary>
public static class SaturatingSum
{
    /// <summary><paramref name="total"/> + <paramref name="size"/> for non-negative values, or long.MaxValue on overflow.</summary>
    public static long Add(long total, long size)
    {
        var sum = unchecked(total + Math.Max(size, 0));
        return sum < total ? long.MaxValue : sum;
    }
}
