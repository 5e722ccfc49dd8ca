using System.Buffers;
using Postino.Server.Pop2;

namespace Postino.Server.Tests.Pop2;

public sealed class ExactLengthBufferWriterTests
{
    [Fact]
    public void Passes_up_to_the_limit_and_counts_everything_offered()
    {
        var inner = new ArrayBufferWriter<byte>();
        var exact = new ExactLengthBufferWriter(inner, 5);

        exact.Write("abc"u8);
        exact.Write("defgh"u8);
        exact.Write("ijk"u8);

        Assert.Equal("abcde"u8.ToArray(), inner.WrittenSpan.ToArray());
        Assert.Equal(5, exact.Passed);
        Assert.Equal(11, exact.Offered);
    }

    [Fact]
    public void Below_the_limit_everything_passes()
    {
        var inner = new ArrayBufferWriter<byte>();
        var exact = new ExactLengthBufferWriter(inner, 100);

        exact.Write("hello"u8);

        Assert.Equal("hello"u8.ToArray(), inner.WrittenSpan.ToArray());
        Assert.Equal(5, exact.Offered);
    }
}
