namespace Postino.Server.Delivery;

/// <summary>How a recipient address was judged.</summary>
public enum RecipientStatus
{
    /// <summary>A local user: deliver to <see cref="RecipientResolution.User"/>.</summary>
    Accepted,

    /// <summary>The domain is not one this server serves (SMTP only): refusing it is what keeps us from relaying.</summary>
    NotLocal,

    /// <summary>A local domain, but no such user.</summary>
    UnknownUser,

    /// <summary>The user directory could not be read; the sender should retry.</summary>
    TemporaryFailure,
}

/// <summary>The verdict on one recipient.</summary>
public readonly record struct RecipientResolution(RecipientStatus Status, string? User)
{
    public static RecipientResolution Accept(string user) => new(RecipientStatus.Accepted, user);

    public static RecipientResolution Refuse(RecipientStatus status) => new(status, null);
}
