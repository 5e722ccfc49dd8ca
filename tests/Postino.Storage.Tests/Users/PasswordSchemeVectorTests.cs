using Postino.Storage.Users.Schemes;

namespace Postino.Storage.Tests.Users;

/// <summary>
/// Vectors made with <c>doveadm pw -s SCHEME -p PASSWORD</c> (Dovecot 2.3), <c>openssl passwd -5/-6</c>, glibc/libxcrypt
/// crypt() and the reference <c>argon2</c> tool, pasted here so the tests need none of them.
/// </summary>
public sealed class PasswordSchemeVectorTests
{
    private const string Spaces = "pass with spaces";
    private const string Utf8 = "pässwörd ✓";
    private const string Utf8Spaces = "pässwörd with spaces ✓";

    public static TheoryData<string, string> Vectors => new()
    {
        // argon2 reference tool: small memory, two lanes.
        { "secret", "{ARGON2ID}$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHR2YWx1ZTE2Yg$IclrmzUM6XitRnpNmjGOxzs3SddsYopQFYj/W/J03Fw" },
        { Utf8, "{ARGON2ID}$argon2id$v=19$m=1024,t=1,p=2$YW5vdGhlcnNhbHQxMjM0NQ$+1wYhGomhYFTeGHZxSmsxK5trI2hXshE99Urlf7ekxk" },

        { "secret", "{BLF-CRYPT}$2y$05$nHoYBf6YFPL8.vCkPICH4Ou5C5rFxS98h.Q8eIl6uLVr6oL3A5F5i" },
        { Spaces, "{BLF-CRYPT}$2y$05$bUEZD2XN3AH2IL9QgnsFTOwKpp/H4FGBO7nqizsfpDvZzV.JUp/uC" },
        { Utf8, "{BLF-CRYPT}$2y$04$36juXoO4nqh7WZRrpEnPVuMFOHoKrCAmVdKOYtc6A2LFRTIAmCpnS" },

        { "secret", "{SHA512-CRYPT}$6$TP7x3/sMw1ISU6uo$UU3.nEYyrkVZVSb8/Z8NbZv4kWP1i1Q8HaTqCTG2GlU5SmQYX4YpSFgHW5d9ahIkBDwnXUdkkBbWfxw8wXAxL1" },
        { Utf8, "{SHA512-CRYPT}$6$GOoO7UhQvkOF7bqH$FK.gpyk7v8y.2yO8a7RA0Y5ZeIxKY0k8WDTk7RpOFGTlmrRbnQ2oOVZuegRaJf7RThYxkfOxP8jsvXnA/h59b0" },
        { Spaces, "{SHA512-CRYPT}$6$rounds=10000$Iiicz7Y8oP2.PdmB$4en2.xjurX.EA15bBNTXN7vFlSJpsLaSvFAZkJtV.PPATvLVN9psHXXaBpz.6fnM0mzgUR3Gfq02B99dbuOz7/" },
        { "secret", "{SHA256-CRYPT}$5$4YuVRPfGCmrsHvgN$EpOWgwzmUeBhd.5TcN5KbxG.8XAZ41F12x49sEs9uT5" },
        { Utf8, "{SHA256-CRYPT}$5$rounds=1000$natKK.rflfaUnA4H$4OHWsA6gm9aQjKUmmQHAUxULl26rHCOVaC9J5e1ZBdC" },

        // openssl passwd -6 / -5 (a 16-character salt, the longest; a 3-character one).
        { "secret", "{SHA512-CRYPT}$6$MEAT/o3OrH6R3lmv$S0M3PVx0GiK7shjUwIXO3Xg7xjlver78j27VUdq5pozVNdl4CH3uuxgzGQe05Wf4oeP63IuGM5GbAmJWDtsS3." },
        { Spaces, "{SHA512-CRYPT}$6$saltsaltsaltsalt$Y/GQt5VxqSIM/O6aIYYfHaofeZ3EHsTpQdbv0Q7Ou3Is9nVzAFz6jMT4oiE9N2HNTepm0n8QI8h0j3BoFItb40" },
        { "secret", "{SHA256-CRYPT}$5$8sJkQq.msQAhstAP$RUME686wScNHozEhqvbOMsW6YRX7yIZB2d/GOOH6tT1" },
        { Utf8, "{SHA256-CRYPT}$5$abc$SF8KTyJCwW8M2Z8ITrSRrP4a5PKHU76nMV/wepEdo9/" },

        // crypt(): the specification's inputs, explicit default rounds, empty salt, long password, long salt truncated.
        { "Hello world!", "{SHA256-CRYPT}$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5" },
        { "Hello world!", "{SHA512-CRYPT}$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v." },
        { "we have a short salt string but not a short password", "{SHA512-CRYPT}$6$rounds=77777$short$WuQyW2YR.hBNpjjRhpYD/ifIw05xdfeEyQoMxIXbkvr0gge1a1x3yRULJ5CCaUeOxFmtlcGZelFl5CxtgfiAc0" },
        { "a very much longer text to encrypt.  This one even stretches over morethan one line.", "{SHA256-CRYPT}$5$rounds=1400$anotherlongsalts$Rx.j8H.h8HjEDGomFU8bDkXm3XIUnzyxf12oP84Bnq1" },
        { Utf8Spaces, "{SHA512-CRYPT}$6$rounds=5000$abcdefgh$RMeXV7ak2lrGlGQ0OAtuzH/oqTR.rFtTIU0aEt9Jbezzhq/DwIuCV2Mcz9InxCtc626UvhhfQ2KQ/6BMVvvIX0" },
        { Utf8Spaces, "{SHA256-CRYPT}$5$rounds=1000$0123456789abcdef$L0Bpb1vkZq/kdSnfUcI6PNXI9R0sJDlxXABbWPzwnD." },
        { Utf8Spaces, "{SHA512-CRYPT}$6$$DwGqOXpu.0IqfKjjucKnBmAzukJJlrX5GOhrfcFC7r2FlL9IxggnNjOZEuOMo5AMGpCpSUY1fbeGmSueOUaci/" },
        { new string('x', 200), "{SHA512-CRYPT}$6$rounds=1000$longpw$I.TraCRKGD9TZtf4DrHj0L3nZmFFJocAdREkU1zt1BvYUANyZsH6ttudkGMfb4hgXWVx329/4udSRHAV9Av4o0" },
        { string.Empty, "{SHA512-CRYPT}$6$emptypw$TWmzQ8/uLn1BFSZ5Lkfum8lAba5vixF9Nl3Aiof.Praatq9nh0kkPuTdoVrIL6du0L6LAoadbPq.q.D7keveg/" },

        // A passwd-file password without a scheme is {CRYPT}, as in Dovecot.
        { "secret", "$6$MEAT/o3OrH6R3lmv$S0M3PVx0GiK7shjUwIXO3Xg7xjlver78j27VUdq5pozVNdl4CH3uuxgzGQe05Wf4oeP63IuGM5GbAmJWDtsS3." },
        { "secret", "{CRYPT}$2y$05$nHoYBf6YFPL8.vCkPICH4Ou5C5rFxS98h.Q8eIl6uLVr6oL3A5F5i" },

        { "secret", "{PLAIN}secret" },
        { Spaces, "{PLAIN}pass with spaces" },
        { Utf8, "{PLAIN}pässwörd ✓" },
        { Utf8, "{CLEARTEXT}pässwörd ✓" },

        { "secret", "{SSHA512}clXNTFTRLRsnUmTWAbeFot414LnAA1pq3VkJjvzMVafodLzh7SoXlRBzyWriC24OP5SlY4jtD2KBAgNtGo/3wV0w7A0=" },
        { Spaces, "{SSHA512}fcyuuQ/5USVlKwsSVVVFT/cRmrvd6KjeHn8gdMB3jFjxHHIta9V0igC+I06OW+GXo+PfoEV4oH4AikB+82lYepT4ewk=" },
        { Utf8, "{SSHA512}+H7SHntzowDRCLA+2TUqKPjVEqIaywyG5bRCliFfrtvI1pmw26H/g4Pe3SDVm/+hcN0yXnGQA4yfSz26wBKkBdROUH8=" },
        { "secret", "{SSHA512.HEX}e7a23fcbd62cc120d6e9aebcd9c522e688b5e75c5e82b03b92f3714d631e4ca4e9d055ba84330b08634b2c0e25110d6437b11f43d38443b299e4f8a7df5a1b9f2ac61ffc" },

        { "secret", "{PBKDF2}$1$jlfxfCA6FuVUGA8j$5000$4948df3f0b4c4d4bb3bb3c37a4ff154486a6697f" },
        { "secret", "{PBKDF2}$1$vQU53jNhhmsuI9ut$1000$86d60a5800d6e6bbc21fb5b0d29fee23d173ee08" },
        { Spaces, "{PBKDF2}$1$fYp7RykBQl2yIHwr$5000$91b735bb29e3caea15877db51c1b10b3aa63e550" },
        { Utf8, "{PBKDF2}$1$UEkXuNvs3UBI26hW$5000$fa0e8e48c280de000400b1c2809e382d6c2bd19a" },

        { "secret", "{SCRAM-SHA-256}4096,IsvsJUDRc+CensQShpFy9A==,IzHSzun+hNGNBAeJVtxPuJIhVv1WpAsDusAWoiD6pdM=,QQl/e6mhuV8ltAm85fy6KQTpYM8UWhA1YQXD4odYRlA=" },
        { Spaces, "{SCRAM-SHA-256}4096,wEgBnbPSdaXut8QL1Vuv8Q==,sSiRDU/u5c/nsGGpJnscX+51R97kFtkr8DhABZktG1Y=,cnFyRWsG4SDnISQSBoS2rZapxtjAq6xjZdXytXThw2A=" },
        { Utf8, "{SCRAM-SHA-256}4096,lP4BRC3Ffa9xa5vR8OeZ+Q==,si/Htcv/SYekf70lE94X99MHxRjEg5wea+0GTRTleNo=,0Qe+01TyEDeyyQX9jqLcMDd2yFvGTR4V9gNP0Hzjv2Y=" },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void The_right_password_verifies(string password, string stored)
    {
        Assert.Null(PasswordSchemeRegistry.Default.Validate(stored));
        Assert.True(PasswordSchemeRegistry.Default.Verify(password, stored));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void A_wrong_password_does_not(string password, string stored)
    {
        Assert.False(PasswordSchemeRegistry.Default.Verify(password + "x", stored));
        if (password.Length > 0)
        {
            Assert.False(PasswordSchemeRegistry.Default.Verify(password[..^1], stored));
        }
    }

    [Fact]
    public void Argon2id_at_doveadm_default_cost_verifies()
    {
        // doveadm pw -s ARGON2ID: 64 MiB, t=3. Few runs, as each costs 64 MiB and a noticeable slice of CPU.
        const string Secret = "{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$/VParVKtatZ3j56mI84ENg$Ralr+LJSAsoFEUQTV+1z1OnQEugrgqze3zTAKsusVj8";
        Assert.True(PasswordSchemeRegistry.Default.Verify("secret", Secret));
        Assert.False(PasswordSchemeRegistry.Default.Verify("secreT", Secret));
    }

    [Fact]
    public void Scheme_names_are_case_insensitive()
    {
        Assert.True(PasswordSchemeRegistry.Default.Verify("secret", "{plain}secret"));
        Assert.True(PasswordSchemeRegistry.Default.Verify(
            "secret", "{sha256-crypt}$5$4YuVRPfGCmrsHvgN$EpOWgwzmUeBhd.5TcN5KbxG.8XAZ41F12x49sEs9uT5"));
    }

    [Fact]
    public void Scram_stored_keys_are_exposed_without_the_password()
    {
        Assert.True(ScramSha256Credentials.TryParse(
            "4096,IsvsJUDRc+CensQShpFy9A==,IzHSzun+hNGNBAeJVtxPuJIhVv1WpAsDusAWoiD6pdM=,QQl/e6mhuV8ltAm85fy6KQTpYM8UWhA1YQXD4odYRlA=",
            out var credentials));
        Assert.Equal(4096, credentials!.Iterations);
        Assert.Equal(Convert.FromBase64String("IsvsJUDRc+CensQShpFy9A=="), credentials.Salt);
        Assert.Equal(32, credentials.StoredKey.Length);
        Assert.Equal(32, credentials.ServerKey.Length);

        var derived = ScramSha256Credentials.FromPassword("secret", credentials.Salt, credentials.Iterations);
        Assert.Equal(credentials.StoredKey, derived.StoredKey);
        Assert.Equal(credentials.ServerKey, derived.ServerKey);
    }

    [Fact]
    public void Scram_matches_the_rfc7677_example_keys()
    {
        // RFC 7677 section 3: user "user", password "pencil", salt W22ZaJ0SNY7soEsUEjb6gQ==, 4096 iterations;
        // the server signature there is HMAC(ServerKey, AuthMessage), so check the derivation from the salted password.
        var credentials = ScramSha256Credentials.FromPassword(
            "pencil", Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
        Assert.True(credentials.Matches("pencil"));
        Assert.False(credentials.Matches("Pencil"));
    }
}
