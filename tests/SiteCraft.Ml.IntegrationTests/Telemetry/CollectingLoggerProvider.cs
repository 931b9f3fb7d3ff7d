using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SiteCraft.Ml.IntegrationTests.Telemetry;

/// <summary>Keeps every log line so a test can assert what the writer said.</summary>
public sealed class CollectingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogLine> _lines = new();

    public IReadOnlyCollection<LogLine> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Collector(_lines);

    public void Dispose()
    {
    }

    public sealed record LogLine(LogLevel Level, string Message);

    private sealed class Collector(ConcurrentQueue<LogLine> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(new LogLine(logLevel, formatter(state, exception)));
    }
}
