using Microsoft.Extensions.Logging;

namespace Postino.Cli.Delivery;

/// <summary>
/// deliver's stderr logger, made on the first message at or above <see cref="MinimumLevel"/>: a delivery that
/// succeeds logs nothing, so it never pays for the logging factory's container and console thread (it runs once per
/// message, started by the MTA).
/// </summary>
internal sealed class LazyConsoleLogger(string category) : ILogger, IDisposable
{
    public const LogLevel MinimumLevel = LogLevel.Warning;

    private ILoggerFactory? _factory;

    private ILogger? _logger;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => Logger.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => logLevel >= MinimumLevel && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            Logger.Log(logLevel, eventId, state, exception, formatter);
        }
    }

    /// <summary>Flushes what was logged (the console logger writes from its own thread).</summary>
    public void Dispose() => _factory?.Dispose();

    private ILogger Logger => _logger ??= CreateFactory().CreateLogger(category);

    private ILoggerFactory CreateFactory() => _factory = LoggerFactory.Create(builder => builder
        // stdout may be read by the MTA: everything goes to stderr.
        .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
        .AddSimpleConsole(o => o.SingleLine = true)
        .SetMinimumLevel(MinimumLevel));
}
