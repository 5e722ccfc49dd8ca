namespace Postino.Testing;

/// <summary>
/// Plays a socket's event thread: a thread the pool does not own, with no synchronization context, as .NET's socket
/// event threads are (Postino.Storage.Threading.OffEventLoop counts any such thread as one).
/// </summary>
public static class OwnThread
{
    /// <summary>Starts <paramref name="work"/> on a new thread of its own; its result, within a minute.</summary>
    public static Task<T> Run<T>(Func<Task<T>> work)
    {
        var started = new TaskCompletionSource<Task<T>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                started.SetResult(work());
            }
            catch (Exception exception)
            {
                started.SetException(exception);
            }
        })
        { IsBackground = true };
        thread.Start();
        return started.Task.Unwrap().WaitAsync(TimeSpan.FromSeconds(60));
    }
}
