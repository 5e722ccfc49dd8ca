using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Postino.Storage.Users;

namespace Postino.Storage.Retention;

/// <summary>
/// A mailbox's retention: the policy (<c>client</c>, <c>delete-on-retrieve</c>, <c>keep-days:N</c>) and the optional
/// <c>max-age-days</c> on top of it. Written <c>POLICY</c>, <c>POLICY,max-age-days:N</c> or <c>max-age-days:N</c>
/// (client with a maximum age) in the configuration.
/// </summary>
public sealed record EffectiveRetention(RetentionPolicy Policy, int? MaxAgeDays)
{
    private const string MaxAgePrefix = "max-age-days:";

    public static EffectiveRetention Client { get; } = new(RetentionPolicy.Client, null);

    /// <summary>What the sweeper enforces.</summary>
    public RetentionRule Rule => new(
        Policy.Mode switch
        {
            RetentionMode.DeleteOnRetrieve => 0,
            RetentionMode.KeepDays => Policy.KeepDays,
            _ => null,
        },
        MaxAgeDays);

    /// <summary>True when a session's commit deletes what it retrieved.</summary>
    public bool DeletesRetrievedAtCommit => Policy.Mode == RetentionMode.DeleteOnRetrieve;

    /// <summary>Parses the configuration form; false with the problem, naming what is accepted, otherwise.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out EffectiveRetention? retention, [NotNullWhen(false)] out string? problem)
    {
        retention = null;
        problem = $"retention must be client, delete-on-retrieve or keep-days:N, optionally followed by ,{MaxAgePrefix}N; not '{text}'";
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var policy = RetentionPolicy.Client;
        int? maxAge = null;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length > 2)
        {
            return false;
        }

        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i].StartsWith(MaxAgePrefix, StringComparison.Ordinal) && maxAge is null)
            {
                if (!TryParseDays(parts[i][MaxAgePrefix.Length..], out var days))
                {
                    return false;
                }

                maxAge = days;
            }
            else if (i == 0 && RetentionPolicy.TryParse(parts[i], out var parsed))
            {
                policy = parsed.Value;
            }
            else
            {
                return false;
            }
        }

        retention = new EffectiveRetention(policy, maxAge);
        problem = null;
        return true;
    }

    public override string ToString() => MaxAgeDays is { } days
        ? string.Create(CultureInfo.InvariantCulture, $"{Policy},{MaxAgePrefix}{days}")
        : Policy.ToString();

    /// <summary>A maximum age in days: a positive count (a zero maximum age would delete mail on arrival).</summary>
    internal static bool TryParseDays(string text, out int days) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out days) && days > 0;
}
