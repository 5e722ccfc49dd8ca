namespace Postino.Fetch.Protocol;

/// <summary>
/// The response codes a POP3 server may put in brackets after <c>-ERR</c> (RFC 2449 §8, RFC 3206), reduced to what a
/// fetcher acts on.
/// </summary>
public enum ResponseCode
{
    /// <summary>No code, or one this client does not know.</summary>
    None,

    /// <summary><c>[IN-USE]</c>: another session holds the maildrop; try again later.</summary>
    InUse,

    /// <summary><c>[LOGIN-DELAY]</c>: logged in too recently; wait the announced delay.</summary>
    LoginDelay,

    /// <summary><c>[SYS/TEMP]</c>: a temporary server problem; try again later.</summary>
    SysTemp,

    /// <summary><c>[SYS/PERM]</c>: a permanent server problem; retrying will not help.</summary>
    SysPerm,

    /// <summary><c>[AUTH]</c>: the credentials are wrong; retrying will not help.</summary>
    Auth,

    /// <summary><c>[UTF8]</c>: the mailbox needs UTF-8 mode.</summary>
    Utf8,
}

/// <summary>Reads and prints response codes.</summary>
public static class ResponseCodes
{
    /// <summary>
    /// Splits <c>[CODE] text</c> into its code and text. Never throws: a missing or unknown code gives
    /// <see cref="ResponseCode.None"/> with the whole text.
    /// </summary>
    public static (ResponseCode Code, string Text) Parse(string text)
    {
        if (!text.StartsWith('['))
        {
            return (ResponseCode.None, text);
        }

        var close = text.IndexOf(']', StringComparison.Ordinal);
        if (close < 0)
        {
            return (ResponseCode.None, text);
        }

        var name = text[1..close];
        var rest = text[(close + 1)..].TrimStart();
        var code = name.ToUpperInvariant() switch
        {
            "IN-USE" => ResponseCode.InUse,
            "LOGIN-DELAY" => ResponseCode.LoginDelay,
            "SYS/TEMP" => ResponseCode.SysTemp,
            "SYS/PERM" => ResponseCode.SysPerm,
            "AUTH" => ResponseCode.Auth,
            "UTF8" => ResponseCode.Utf8,
            _ => ResponseCode.None,
        };
        return code == ResponseCode.None ? (code, text) : (code, rest);
    }

    /// <summary>The wire spelling of a code.</summary>
    public static string Format(ResponseCode code) => code switch
    {
        ResponseCode.InUse => "IN-USE",
        ResponseCode.LoginDelay => "LOGIN-DELAY",
        ResponseCode.SysTemp => "SYS/TEMP",
        ResponseCode.SysPerm => "SYS/PERM",
        ResponseCode.Auth => "AUTH",
        ResponseCode.Utf8 => "UTF8",
        _ => string.Empty,
    };

    /// <summary>True for the codes that mean "try the same thing again later".</summary>
    public static bool IsTemporary(ResponseCode code) =>
        code is ResponseCode.InUse or ResponseCode.SysTemp or ResponseCode.LoginDelay;
}
