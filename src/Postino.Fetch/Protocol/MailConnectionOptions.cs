namespace Postino.Fetch.Protocol;

/// <summary>Settings of a <see cref="MailConnection"/>.</summary>
public sealed record MailConnectionOptions
{
    /// <summary>How long the server may stay silent before the connection is given up (restarted by every chunk of a message).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Receives the conversation for <c>--verbose</c>, or null.</summary>
    public IProtocolTrace? Trace { get; init; }

    /// <summary>The clock behind <see cref="Timeout"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
