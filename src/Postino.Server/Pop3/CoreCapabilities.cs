using System.Globalization;

namespace Postino.Server.Pop3;

/// <summary>The RFC 2449 capabilities of the POP3 core, at orders 10-90 so extensions can slot in between.</summary>
public static class CoreCapabilities
{
    public static IEnumerable<IPop3Capability> All(Pop3Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var loginDelay = string.Create(CultureInfo.InvariantCulture, $"LOGIN-DELAY {options.LoginDelaySeconds}");
        var implementation = "IMPLEMENTATION " + options.Implementation;
        return
        [
            new Pop3Capability("TOP", 10),
            new Pop3Capability("USER", 20, s => s.Services.LoginPolicy.AllowsPlaintextLogin(s) ? "USER" : null),
            new Pop3Capability("UIDL", 30),
            new Pop3Capability("RESP-CODES", 40),
            new Pop3Capability("AUTH-RESP-CODE", 50),
            new Pop3Capability("PIPELINING", 60),
            new Pop3Capability("EXPIRE", 70, s => "EXPIRE " + s.Services.ExpirePolicy.GetExpireValue(s)),
            new Pop3Capability("LOGIN-DELAY", 80, s => s.Features.Get<UserLoginDelay>() is { } user
                ? string.Create(CultureInfo.InvariantCulture, $"LOGIN-DELAY {user.Seconds}")
                : loginDelay),
            new Pop3Capability("IMPLEMENTATION", 90, _ => implementation),
        ];
    }
}
