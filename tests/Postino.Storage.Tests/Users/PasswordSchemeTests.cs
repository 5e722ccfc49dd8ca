using Postino.Storage.Users.Schemes;

namespace Postino.Storage.Tests.Users;

public sealed class PasswordSchemeTests
{
    private static readonly PasswordSchemeRegistry Cheap =
        PasswordSchemeRegistry.CreateDefault(new Argon2idScheme(new Argon2Parameters(256, 1, 1)), blowfishCost: 4);

    [Theory]
    [InlineData("ARGON2ID")]
    [InlineData("BLF-CRYPT")]
    [InlineData("SHA512-CRYPT")]
    [InlineData("SHA256-CRYPT")]
    [InlineData("PLAIN")]
    [InlineData("SSHA512")]
    [InlineData("SSHA512.HEX")]
    [InlineData("PBKDF2")]
    [InlineData("SCRAM-SHA-256")]
    public void New_hashes_verify_and_reload(string scheme)
    {
        foreach (var password in new[] { "secret", "pass with spaces", "pässwörd ✓" })
        {
            var stored = Cheap.Hash(password, scheme);
            Assert.StartsWith("{" + scheme + "}", stored, StringComparison.Ordinal);
            Assert.Null(Cheap.Validate(stored));
            Assert.True(Cheap.Verify(password, stored));
            Assert.False(Cheap.Verify(password + " ", stored));
        }
    }

    [Fact]
    public void New_passwords_default_to_argon2id_with_doveadm_cost()
    {
        var stored = Cheap.Hash("secret");
        Assert.StartsWith("{ARGON2ID}$argon2id$v=19$m=256,t=1,p=1$", stored, StringComparison.Ordinal);
        Assert.Equal("ARGON2ID", PasswordSchemeRegistry.DefaultSchemeName);
    }

    [Fact]
    public void New_bcrypt_hashes_use_the_2y_prefix_dovecot_writes()
    {
        Assert.StartsWith("{BLF-CRYPT}$2y$04$", Cheap.Hash("secret", "BLF-CRYPT"), StringComparison.Ordinal);
    }

    [Fact]
    public void New_sha_crypt_hashes_use_a_16_character_salt()
    {
        var stored = Cheap.Hash("secret", "SHA512-CRYPT");
        var parts = stored.Split('$');
        Assert.Equal("{SHA512-CRYPT}", parts[0]);
        Assert.Equal(16, parts[2].Length);
        Assert.Equal(86, parts[3].Length);
    }

    [Theory]
    [InlineData("{MD5}1a1dc91c907325c69271ddf0c944bc72", "unknown password scheme {MD5}")]
    [InlineData("{NOPE}x", "unknown password scheme {NOPE}")]
    [InlineData("{PLAIN", "password scheme prefix '{' is not closed")]
    [InlineData("{}x", "password scheme prefix '{' is not closed")]
    [InlineData("$1$abc$def", "malformed {CRYPT} password")]
    [InlineData("{SHA512-CRYPT}$6$abc$tooshort", "malformed {SHA512-CRYPT} password")]
    [InlineData("{SHA512-CRYPT}$5$4YuVRPfGCmrsHvgN$EpOWgwzmUeBhd.5TcN5KbxG.8XAZ41F12x49sEs9uT5", "malformed {SHA512-CRYPT} password")]
    [InlineData("{SHA256-CRYPT}$5$rounds=x$abc$EpOWgwzmUeBhd.5TcN5KbxG.8XAZ41F12x49sEs9uT5", "malformed {SHA256-CRYPT} password")]
    [InlineData("{BLF-CRYPT}$2x$05$nHoYBf6YFPL8.vCkPICH4Ou5C5rFxS98h.Q8eIl6uLVr6oL3A5F5i", "malformed {BLF-CRYPT} password")]
    [InlineData("{ARGON2ID}$argon2i$v=19$m=256,t=2,p=1$c29tZXNhbHR2YWx1ZTE2Yg$IclrmzUM6XitRnpNmjGOxzs3SddsYopQFYj/W/J03Fw", "malformed {ARGON2ID} password")]
    [InlineData("{ARGON2ID}$argon2id$v=19$m=256,t=0,p=1$c29tZXNhbHR2YWx1ZTE2Yg$IclrmzUM6XitRnpNmjGOxzs3SddsYopQFYj/W/J03Fw", "malformed {ARGON2ID} password")]
    [InlineData("{SSHA512}c2hvcnQ=", "malformed {SSHA512} password")]
    [InlineData("{PBKDF2}$1$salt$many$4948df3f0b4c4d4bb3bb3c37a4ff154486a6697f", "malformed {PBKDF2} password")]
    [InlineData("{SCRAM-SHA-256}4096,IsvsJUDRc+CensQShpFy9A==,IzHSzun+hNGNBAeJVtxPuJIhVv1WpAsDusAWoiD6pdM=", "malformed {SCRAM-SHA-256} password")]
    public void Unknown_or_malformed_passwords_are_named(string stored, string problem)
    {
        Assert.Equal(problem, Cheap.Validate(stored));
        Assert.False(Cheap.Verify("secret", stored));
    }

    [Fact]
    public void Sha_crypt_rounds_below_the_minimum_count_as_1000()
    {
        const string AtMinimum = "$5$rounds=1000$natKK.rflfaUnA4H$4OHWsA6gm9aQjKUmmQHAUxULl26rHCOVaC9J5e1ZBdC";
        const string BelowMinimum = "$5$rounds=10$natKK.rflfaUnA4H$4OHWsA6gm9aQjKUmmQHAUxULl26rHCOVaC9J5e1ZBdC";
        Assert.True(ShaCryptScheme.Sha256.Verify("pässwörd ✓", AtMinimum));
        Assert.True(ShaCryptScheme.Sha256.Verify("pässwörd ✓", BelowMinimum));
    }

    [Fact]
    public void Schemes_that_cannot_hash_are_refused_for_new_passwords()
    {
        Assert.Throws<ArgumentException>(() => Cheap.Hash("secret", "CRYPT"));
        Assert.Throws<ArgumentException>(() => Cheap.Hash("secret", "MD5"));
    }
}
