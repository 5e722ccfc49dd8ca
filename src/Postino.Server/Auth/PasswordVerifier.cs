using Postino.Storage.Users.Schemes;

namespace Postino.Server.Auth;

/// <summary>
/// Runs password verifications off the session's path and at most a few at a time: Argon2id at doveadm's cost takes
/// 64 MiB and a noticeable slice of CPU, so an unbounded number of parallel logins could exhaust the machine.
/// For a user that does not exist it verifies against a dummy hash of the default scheme, so that an unknown user
/// costs about the same time as a wrong password.
/// </summary>
public sealed class PasswordVerifier
{
    private readonly PasswordSchemeRegistry schemes;
    private readonly SemaphoreSlim slots;
    private readonly Lazy<string> dummyHash;

    /// <summary>A verifier that runs at most one verification per processor at a time.</summary>
    public PasswordVerifier(PasswordSchemeRegistry schemes)
        : this(schemes, Environment.ProcessorCount)
    {
    }

    public PasswordVerifier(PasswordSchemeRegistry schemes, int maxConcurrentVerifications)
    {
        ArgumentNullException.ThrowIfNull(schemes);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentVerifications, 1);
        this.schemes = schemes;
        MaxConcurrentVerifications = maxConcurrentVerifications;
        slots = new SemaphoreSlim(maxConcurrentVerifications, maxConcurrentVerifications);
        dummyHash = new Lazy<string>(() => schemes.Hash(Guid.NewGuid().ToString("N")));
    }

    /// <summary>Verifications that may run at once: their memory (processors x a hash's memory cost) is the peak.</summary>
    public int MaxConcurrentVerifications { get; }

    private static bool IsMemoryHard(string stored) => stored.StartsWith("{ARGON2", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when <paramref name="password"/> matches <paramref name="storedPassword"/>; null or empty stored
    /// passwords never match but still cost a verification.</summary>
    public async Task<bool> VerifyAsync(string password, string? storedPassword, CancellationToken cancellationToken)
    {
        var usable = !string.IsNullOrEmpty(storedPassword);
        var stored = usable ? storedPassword! : dummyHash.Value;
        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var matches = await Task.Run(() => schemes.Verify(password, stored), cancellationToken).ConfigureAwait(false);
            return usable && matches;
        }
        finally
        {
            slots.Release();
            if (IsMemoryHard(stored))
            {
                // Argon2id's 64 MiB work area is garbage once the check ends, but it lives on the large-object heap,
                // which only a full collection frees: left to itself the heap grows several times over under a login
                // storm (766 MB seen with two checks at a time). A background collection keeps the peak near the cap.
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: false);
            }
        }
    }
}
