using System.Security.Cryptography;

namespace Postino.Server.Pop3;

/// <summary>Makes the greeting's APOP timestamp (RFC 1939: unique per connection, msg-id syntax).</summary>
public interface IApopTimestampSource
{
    string Next(string hostName);
}

/// <summary>&lt;random.unix-seconds@host&gt;: the random part makes it unguessable and unique.</summary>
public sealed class RandomApopTimestampSource(TimeProvider timeProvider) : IApopTimestampSource
{
    public string Next(string hostName) =>
        $"<{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.{timeProvider.GetUtcNow().ToUnixTimeSeconds()}@{hostName}>";
}
