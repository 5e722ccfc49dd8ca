namespace Postino.Storage.Retention;

/// <summary>
/// Lets one node at a time run the periodic retention sweep when several share a store. The lead lasts until the
/// returned handle is disposed (or the node dies).
/// </summary>
public interface ISweepLeadership
{
    /// <summary>The lead, or null when another node holds it now.</summary>
    Task<IAsyncDisposable?> TryLeadAsync(CancellationToken cancellationToken);
}
