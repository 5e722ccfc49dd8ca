using Postino.Server.Delivery;

namespace Postino.Server.Tests.Delivery;

public sealed class FileMessageSpoolTests
{
    [Fact]
    public async Task Reads_back_what_was_written_any_number_of_times_and_leaves_nothing_behind()
    {
        using var directory = new TempDirectory();
        var spool = new FileMessageSpool(Path.Combine(directory.Path, "spool"));

        await using (var message = await spool.CreateAsync(CancellationToken.None))
        {
            await message.WriteAsync("hello "u8.ToArray(), CancellationToken.None);
            await message.WriteAsync("world"u8.ToArray(), CancellationToken.None);
            Assert.Equal(11, message.Length);
            for (var i = 0; i < 2; i++)
            {
                await using var read = await message.OpenReadAsync(CancellationToken.None);
                using var text = new StreamReader(read);
                Assert.Equal("hello world", await text.ReadToEndAsync());
            }
        }

        Assert.Empty(Directory.GetFiles(spool.Directory));
    }
}
