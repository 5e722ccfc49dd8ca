namespace Postino.Fetch.Protocol;

/// <summary>Settings of a <see cref="MailConnection"/>.</summary>
public sealed record MailConnectionOptions
{
    /// <summary>How long one read or write may wait for the server before the connection is given up.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Receives the conversation for <c>--verbose</c>, or null.</summary>
    public IProtocolTrace? Trace { get; init; }

    /// <summary>The clock behind <see cref="Timeout"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
