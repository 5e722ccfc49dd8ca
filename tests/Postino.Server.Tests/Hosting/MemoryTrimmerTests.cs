using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Postino.Server.Hosting;

namespace Postino.Server.Tests.Hosting;

public class MemoryTrimmerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    [Fact]
    public void Steady_traffic_never_trims()
    {
        var policy = new MemoryTrimPolicy();

        foreach (var held in new[] { 10, 12, 8, 11, 0, 9, 200, 30, 250 })
        {
            Assert.False(policy.ShouldTrim(held));
        }
    }

    [Fact]
    public void The_end_of_a_wave_of_sessions_trims_once()
    {
        var policy = new MemoryTrimPolicy();

        Assert.False(policy.ShouldTrim(4_000));
        Assert.False(policy.ShouldTrim(10_000));
        Assert.False(policy.ShouldTrim(9_000)); // 1,000 closed: less than a quarter of the peak
        Assert.True(policy.ShouldTrim(1_500)); // the next wave already started: the trim is still due
        Assert.False(policy.ShouldTrim(1_500));
        Assert.False(policy.ShouldTrim(3_000));
        Assert.True(policy.ShouldTrim(0));
    }

    [Fact]
    public void A_small_drop_is_not_worth_a_trim_even_to_zero()
    {
        var policy = new MemoryTrimPolicy();

        Assert.False(policy.ShouldTrim(MemoryTrimPolicy.MinimumDrop - 1));
        Assert.False(policy.ShouldTrim(0));
        Assert.False(policy.ShouldTrim(MemoryTrimPolicy.MinimumDrop));
        Assert.True(policy.ShouldTrim(0));
    }

    [Fact]
    public async Task The_trimmer_samples_the_connections_held_at_each_interval()
    {
        var time = new FakeTimeProvider();
        var budget = new DescriptorBudget(100_000);
        var trims = 0;
        using var trimmer = new MemoryTrimmer(budget, Interval, time, NullLogger.Instance, () => ++trims > 0);
        await trimmer.StartAsync(CancellationToken.None);
        Hold(budget, 1_000);

        time.Advance(Interval);
        Assert.Equal(0, trims);
        Release(budget, 1_000);
        time.Advance(Interval - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, trims); // not before the next tick

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, trims);
        time.Advance(Interval * 10);
        Assert.Equal(1, trims);

        await trimmer.StopAsync(CancellationToken.None);
        Hold(budget, 1_000);
        time.Advance(Interval);
        Release(budget, 1_000);
        time.Advance(Interval * 2);
        Assert.Equal(1, trimmer.Trims);
    }

    [Fact]
    public void A_trim_gives_back_free_memory_that_malloc_kept()
    {
        // 80 MB in 4 KiB blocks (below malloc's mmap threshold: inside an arena), then all freed but the last one,
        // which keeps malloc from giving back the free space below it by itself, as live sessions do.
        const int Blocks = 20_000;
        const int Size = 4096;
        var blocks = new IntPtr[Blocks];
        var ones = new byte[Size];
        Array.Fill(ones, (byte)1);
        for (var i = 0; i < Blocks; i++)
        {
            blocks[i] = Marshal.AllocHGlobal(Size);
            Marshal.Copy(ones, 0, blocks[i], Size);
        }

        for (var i = 0; i < Blocks - 1; i++)
        {
            Marshal.FreeHGlobal(blocks[i]);
        }

        var before = ResidentBytes();
        var released = NativeHeap.Trim();
        var after = ResidentBytes();
        Marshal.FreeHGlobal(blocks[^1]);

        Assert.True(released);
        Assert.True(before - after > Blocks * (long)Size / 2, $"resident {before / 1024} KB before the trim, {after / 1024} KB after");
    }

    [Theory]
    [InlineData(5, true)]
    [InlineData(0, false)]
    public async Task The_server_runs_a_trimmer_unless_the_interval_is_zero(int seconds, bool expected)
    {
        var builder = new PostinoServerBuilder(new PostinoServerOptions { MemoryTrimInterval = TimeSpan.FromSeconds(seconds) });
        builder.AddListener<NoHandler>("test", "127.0.0.1:0");
        await using var server = builder.Build();

        Assert.Equal(expected, server.Services.GetServices<IHostedService>().OfType<MemoryTrimmer>().Any());
    }

    private sealed class NoHandler : ConnectionHandler
    {
        public override Task OnConnectedAsync(ConnectionContext connection) => Task.CompletedTask;
    }

    private static long ResidentBytes() =>
        long.Parse(File.ReadAllText("/proc/self/statm").Split(' ')[1], CultureInfo.InvariantCulture) * Environment.SystemPageSize;

    private static void Hold(DescriptorBudget budget, int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.True(budget.TryAcquire());
        }
    }

    private static void Release(DescriptorBudget budget, int count)
    {
        for (var i = 0; i < count; i++)
        {
            budget.Release();
        }
    }
}
