using Postino.Server.Hosting;

namespace Postino.Cli.Tests.Serve;

public class OpenFileLimitTests
{
    [Fact]
    public void The_soft_open_file_limit_is_raised_to_the_hard_limit()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Null(OpenFileLimit.RaiseToHardLimit());
            return;
        }

        var raised = OpenFileLimit.RaiseToHardLimit();

        Assert.NotNull(raised);
        var limits = File.ReadAllLines("/proc/self/limits").Single(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        var fields = limits["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(fields[1], fields[0]);
        var expected = fields[0] == "unlimited" ? ulong.MaxValue : ulong.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, raised.Value.After);
        Assert.Equal(expected, OpenFileLimit.Current());
    }
}
