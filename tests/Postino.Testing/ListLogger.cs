using Microsoft.Extensions.Logging;

namespace Postino.Testing;

/// <summary>
/// Keeps every formatted log entry, to assert on what is (and is never) logged. It is its own provider, so a host's
/// logging can be pointed at it, and <see cref="ListLogger{T}"/> serves code that asks for a typed logger.
/// </summary>
public class ListLogger : ILogger, ILoggerProvider
{
    private readonly List<(LogLevel Level, string Message)> _entries = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>Each entry as "Level: message".</summary>
    public IReadOnlyList<string> Lines => [.. Entries.Select(entry => $"{entry.Level}: {entry.Message}")];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_entries)
        {
            _entries.Add((logLevel, formatter(state, exception)));
        }
    }

    public ILogger CreateLogger(string categoryName) => this;

    public void Dispose() => GC.SuppressFinalize(this);
}

/// <summary>A <see cref="ListLogger"/> for code that takes an <see cref="ILogger{TCategoryName}"/>.</summary>
public sealed class ListLogger<T> : ListLogger, ILogger<T>;
