namespace Postino.Protocols.Text;

/// <summary>A line end other than CRLF found in dot-stuffed data read strictly (see <see cref="DotUnstuffer"/>).</summary>
public enum BareLineEnd
{
    /// <summary>Every line ended with CRLF.</summary>
    None,

    /// <summary>An LF not preceded by CR.</summary>
    BareLf,

    /// <summary>A CR not followed by LF.</summary>
    BareCr,
}
