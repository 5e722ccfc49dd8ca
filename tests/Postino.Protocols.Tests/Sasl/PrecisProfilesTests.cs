using Postino.Protocols.Sasl;

namespace Postino.Protocols.Tests.Sasl;

public class PrecisProfilesTests
{
    [Fact]
    public void Normalisation_is_available_in_the_test_host() => Assert.True(PrecisProfiles.IsNormalizationAvailable);

    [Fact]
    public void Password_decomposed_and_precomposed_compare_equal() =>
        Assert.Equal(PrecisProfiles.OpaqueString("caf\u00E9"), PrecisProfiles.OpaqueString("cafe\u0301"));

    [Fact]
    public void Password_non_ascii_spaces_become_ascii_spaces() =>
        Assert.Equal("a b c", PrecisProfiles.OpaqueString("a\u00A0b\u3000c"));

    [Fact]
    public void Password_case_and_width_are_kept() => Assert.Equal("PaSS\uFF21", PrecisProfiles.OpaqueString("PaSS\uFF21"));

    [Theory]
    [InlineData("")]
    [InlineData("tab\there")]
    [InlineData("nul\0")]
    public void Password_disallowed(string input) => Assert.Null(PrecisProfiles.OpaqueString(input));

    [Fact]
    public void User_name_full_width_letters_map_to_ascii() => Assert.Equal("zoe", PrecisProfiles.UsernameCasePreserved("\uFF5A\uFF4F\uFF45"));

    [Fact]
    public void User_name_is_nfc() => Assert.Equal("zo\u00EB", PrecisProfiles.UsernameCasePreserved("zoe\u0308"));

    [Fact]
    public void User_name_case_is_preserved() => Assert.Equal("Zoe", PrecisProfiles.UsernameCasePreserved("Zoe"));

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    [InlineData("nbsp\u00A0name")]
    [InlineData("ctl\u0001")]
    public void User_name_disallowed(string input) => Assert.Null(PrecisProfiles.UsernameCasePreserved(input));
}
