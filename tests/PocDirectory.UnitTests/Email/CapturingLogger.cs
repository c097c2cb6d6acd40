using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace PocDirectory.UnitTests.Email;

/// <summary>Keeps every log line with its structured values, so tests can prove no personal data is logged.</summary>
public sealed class CapturingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<string> _entries = new();

    public IReadOnlyCollection<string> Entries => _entries;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}"))
            : string.Empty;
        _entries.Enqueue($"{logLevel}: {formatter(state, exception)} | {values} | {exception}");
    }

    /// <summary>Fails when any captured entry mentions one of the given strings.</summary>
    public void AssertNoneContain(params string[] forbidden)
    {
        foreach (var entry in _entries)
        {
            foreach (var value in forbidden)
            {
                Xunit.Assert.DoesNotContain(value, entry, StringComparison.OrdinalIgnoreCase);
            }
        }
    }
}
