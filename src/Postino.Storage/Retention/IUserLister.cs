namespace Postino.Storage.Retention;

/// <summary>Lists every user whose mailbox the periodic sweeper visits (the users file by default).</summary>
public interface IUserLister
{
    ValueTask<IReadOnlyList<string>> ListUserNamesAsync(CancellationToken cancellationToken);
}
