using Postino.Storage.Users;

namespace Postino.Storage.Tests.Users;

public sealed class UserNameTests
{
    [Theory]
    [InlineData("demo")]
    [InlineData("john.doe@example.org")]
    [InlineData("josé")]
    [InlineData("用户")]
    [InlineData("a-b_c+d")]
    [InlineData("name with space")]
    public void Ordinary_and_utf8_names_are_accepted(string name)
    {
        Assert.True(UserName.IsValid(name));
        Assert.Null(UserName.Problem(name));
    }

    [Theory]
    [InlineData("", "user name is empty")]
    [InlineData("a/b", "user name contains a path separator")]
    [InlineData("a\\b", "user name contains a path separator")]
    [InlineData("..", "user name contains '..' or is '.'")]
    [InlineData(".", "user name contains '..' or is '.'")]
    [InlineData("a..b", "user name contains '..' or is '.'")]
    [InlineData("a\0b", "user name contains a control character")]
    [InlineData("a\nb", "user name contains a control character")]
    [InlineData("a\tb", "user name contains a control character")]
    [InlineData("a\u007Fb", "user name contains a control character")]
    [InlineData("a\u0085b", "user name contains a control character")]
    [InlineData("a:b", "user name contains ':'")]
    public void Dangerous_names_are_refused_with_the_reason(string name, string problem)
    {
        Assert.Equal(problem, UserName.Problem(name));
        Assert.False(UserName.IsValid(name));
        Assert.Throws<ArgumentException>(() => UserName.EnsureValid(name));
    }

    [Fact]
    public void The_limit_is_255_octets_not_characters()
    {
        Assert.True(UserName.IsValid(new string('a', 255)));
        Assert.False(UserName.IsValid(new string('a', 256)));

        // "é" is two octets in UTF-8: 127 fit (254 octets), 128 do not (256 octets).
        Assert.True(UserName.IsValid(new string('é', 127)));
        Assert.Equal("user name is longer than 255 octets", UserName.Problem(new string('é', 128)));
    }

    [Fact]
    public void A_lone_surrogate_is_refused()
    {
        var name = "a" + (char)0xD800 + "b";
        Assert.Equal("user name is not valid Unicode", UserName.Problem(name));
    }

    [Fact]
    public void Null_is_refused()
    {
        Assert.False(UserName.IsValid(null));
    }
}
