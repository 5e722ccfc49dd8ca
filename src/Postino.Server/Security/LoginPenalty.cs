using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Postino.Server.Security;

/// <summary>
/// The brute-force penalty per remote address (IPv6 per /64): each failed login costs a delay that doubles from
/// <see cref="LoginPenaltyOptions.InitialDelay"/> up to <see cref="LoginPenaltyOptions.MaxDelay"/>; the same wrong
/// password for the same user again (a client retrying a saved password) does not make it grow; a success resets it.
/// Only a keyed 64-bit fingerprint of a failed (user, password) pair is kept, never the password; the key is random per
/// process. Waiting is asynchronous on the <see cref="TimeProvider"/>, so no thread is held.
/// </summary>
public sealed class LoginPenalty
{
    private readonly LoginPenaltyOptions options;
    private readonly TimeProvider timeProvider;
    private readonly byte[] fingerprintKey = RandomNumberGenerator.GetBytes(32);
    private readonly Dictionary<IPAddress, AddressState> states = [];
    private readonly Lock gate = new();

    public LoginPenalty(LoginPenaltyOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.InitialDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxDelay, options.InitialDelay);
        this.options = options;
        this.timeProvider = timeProvider;
    }

    /// <summary>How many addresses (or /64s) have a penalty now.</summary>
    public int TrackedAddresses
    {
        get
        {
            lock (gate)
            {
                return states.Count;
            }
        }
    }

    /// <summary>
    /// Records a failed login and returns the delay to apply before answering it. <paramref name="attemptedSecret"/>
    /// (the password tried) only identifies repeats; pass null when there is none to compare (APOP, CRAM-MD5).
    /// </summary>
    public TimeSpan RecordFailure(IPAddress remoteAddress, string user, string? attemptedSecret)
    {
        ArgumentNullException.ThrowIfNull(user);
        var key = RemoteAddressGroup.Of(remoteAddress);
        var fingerprint = attemptedSecret is null ? (ulong?)null : Fingerprint(user, attemptedSecret);
        var now = timeProvider.GetUtcNow();
        lock (gate)
        {
            if (!states.TryGetValue(key, out var state) || now - state.LastFailure >= options.ForgetAfter)
            {
                if (state is null && states.Count >= options.MaxTrackedAddresses)
                {
                    Prune(now);
                }

                state = new AddressState();
                states[key] = state;
            }

            state.LastFailure = now;
            var repeat = fingerprint is { } f && state.RecentAttempts.Contains(f);
            if (!repeat || state.Failures == 0)
            {
                state.Failures++;
            }

            if (fingerprint is { } seen && !repeat)
            {
                state.RecentAttempts.Enqueue(seen);
                while (state.RecentAttempts.Count > options.RecentAttemptsRemembered)
                {
                    state.RecentAttempts.Dequeue();
                }
            }

            return DelayFor(state.Failures);
        }
    }

    /// <summary>
    /// The penalty applies to the address, not to one connection: failures from one address are answered one delay
    /// after another, however many connections make them. Returns how long the answer to a failure that costs
    /// <paramref name="delay"/> must wait now.
    /// </summary>
    public TimeSpan ScheduleAnswer(IPAddress remoteAddress, TimeSpan delay)
    {
        var key = RemoteAddressGroup.Of(remoteAddress);
        var now = timeProvider.GetUtcNow();
        lock (gate)
        {
            if (!states.TryGetValue(key, out var state))
            {
                return delay;
            }

            var start = state.NextAnswer > now ? state.NextAnswer : now;
            state.NextAnswer = start + delay;
            return state.NextAnswer - now;
        }
    }

    /// <summary>A successful login from <paramref name="remoteAddress"/>: its penalty goes away.</summary>
    public void RecordSuccess(IPAddress remoteAddress)
    {
        var key = RemoteAddressGroup.Of(remoteAddress);
        lock (gate)
        {
            states.Remove(key);
        }
    }

    /// <summary>The delay the next failure from <paramref name="remoteAddress"/> would cost if it were a new password.</summary>
    public TimeSpan NextDelay(IPAddress remoteAddress)
    {
        var key = RemoteAddressGroup.Of(remoteAddress);
        var now = timeProvider.GetUtcNow();
        lock (gate)
        {
            var failures = states.TryGetValue(key, out var state) && now - state.LastFailure < options.ForgetAfter
                ? state.Failures
                : 0;
            return DelayFor(failures + 1);
        }
    }

    /// <summary>Waits <paramref name="delay"/> on the clock without holding a thread.</summary>
    public Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, timeProvider, cancellationToken);

    private TimeSpan DelayFor(int failures)
    {
        var delay = options.InitialDelay;
        for (var i = 1; i < failures && delay < options.MaxDelay; i++)
        {
            delay *= 2;
        }

        return delay < options.MaxDelay ? delay : options.MaxDelay;
    }

    private ulong Fingerprint(string user, string secret)
    {
        var material = Encoding.UTF8.GetBytes(user + "\0" + secret);
        var mac = HMACSHA256.HashData(fingerprintKey, material);
        CryptographicOperations.ZeroMemory(material);
        return BitConverter.ToUInt64(mac, 0);
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (address, state) in states.ToList())
        {
            if (now - state.LastFailure >= options.ForgetAfter)
            {
                states.Remove(address);
            }
        }

        if (states.Count >= options.MaxTrackedAddresses)
        {
            foreach (var address in states.OrderBy(pair => pair.Value.LastFailure)
                         .Take(states.Count - (options.MaxTrackedAddresses / 2))
                         .Select(pair => pair.Key)
                         .ToList())
            {
                states.Remove(address);
            }
        }
    }

    private sealed class AddressState
    {
        public int Failures { get; set; }

        public DateTimeOffset LastFailure { get; set; }

        /// <summary>When the address's latest failure is answered: the next one is answered a delay after it.</summary>
        public DateTimeOffset NextAnswer { get; set; }

        public Queue<ulong> RecentAttempts { get; } = new();
    }
}
