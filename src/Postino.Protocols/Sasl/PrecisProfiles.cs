using System.Globalization;
using System.Text;

namespace Postino.Protocols.Sasl;

/// <summary>
/// The RFC 8265 preparation of user names and passwords, so that the same text typed on two keyboards compares equal
/// (e.g. "é" precomposed or as e + combining accent). Unicode normalisation needs ICU: with
/// InvariantGlobalization=true .NET leaves strings unnormalised (see <see cref="IsNormalizationAvailable"/>).
/// </summary>
public static class PrecisProfiles
{
    /// <summary>False when the runtime runs in invariant-globalization mode and cannot normalise.</summary>
    public static bool IsNormalizationAvailable { get; } = "e\u0301".Normalize(NormalizationForm.FormC).Length == 1;

    /// <summary>
    /// The OpaqueString profile for passwords: non-ASCII spaces become U+0020, then NFC. Null when the result is empty
    /// or holds control characters.
    /// </summary>
    public static string? OpaqueString(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var builder = new StringBuilder(input.Length);
        foreach (var c in input)
        {
            if (char.IsControl(c))
            {
                return null;
            }

            builder.Append(c != ' ' && CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.SpaceSeparator ? ' ' : c);
        }

        return builder.Length == 0 ? null : builder.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>
    /// The UsernameCasePreserved profile: full-width and half-width forms mapped to their ordinary letters, then NFC.
    /// Null when empty or holding spaces or control characters.
    /// </summary>
    public static string? UsernameCasePreserved(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var builder = new StringBuilder(input.Length);
        foreach (var c in input)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                return null;
            }

            // The Halfwidth and Fullwidth Forms block: its compatibility decomposition is exactly the width mapping.
            builder.Append(c is >= '\uFF00' and <= '\uFFEF' ? c.ToString().Normalize(NormalizationForm.FormKC) : c);
        }

        return builder.Length == 0 ? null : builder.ToString().Normalize(NormalizationForm.FormC);
    }
}
