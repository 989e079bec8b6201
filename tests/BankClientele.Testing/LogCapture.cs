using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BankClientele.Testing;

/// <summary>
/// Every log line a hosted service writes (formatted message and exception text), recorded while a test
/// holds a <see cref="Recording"/>: <c>using var logs = TestSystem.CustomerCare.Logs.Record();</c>.
/// Nothing is formatted or kept while nobody records (<see cref="ILogger.IsEnabled"/> is false), so every
/// test host carries it at no cost. Serilog's logger factory (the services' own) ignores the
/// <see cref="ILoggerProvider"/>s in the container, so <see cref="AddTo"/> puts this provider beside it
/// by wrapping the registered <see cref="ILoggerFactory"/>: the console output stays Serilog's, at the
/// tests' level (warnings). The recording takes what a service writes as shipped: Information and above,
/// except the categories its <c>Serilog:MinimumLevel:Override</c> settings (appsettings.json) raise
/// (Microsoft.*, MassTransit and Hangfire at warnings; the longest matching prefix wins, as in Serilog).
/// </summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentDictionary<Recording, byte> recordings = new();
    private volatile int active;

    /// <summary>The lowest level recorded where no override names the category (the services ship with Information).</summary>
    public LogLevel MinimumLevel { get; init; } = LogLevel.Information;

    private IReadOnlyList<(string Prefix, LogLevel Level)> overrides = [];

    /// <summary>Starts recording; dispose the recording to stop.</summary>
    public Recording Record()
    {
        var recording = new Recording(this);
        recordings[recording] = 0;
        Interlocked.Increment(ref active);
        return recording;
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private void Stop(Recording recording)
    {
        if (recordings.TryRemove(recording, out _))
        {
            Interlocked.Decrement(ref active);
        }
    }

    /// <summary>Wraps the container's <see cref="ILoggerFactory"/> (Serilog's, as the services register it) so every logger also writes here.</summary>
    public void AddTo(IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(ILoggerFactory) && !d.IsKeyedService)
            ?? throw new InvalidOperationException("No ILoggerFactory is registered to record from.");
        services.Remove(registered);
        services.AddSingleton<ILoggerFactory>(provider =>
        {
            overrides = Overrides(provider.GetRequiredService<IConfiguration>());
            return new TeeLoggerFactory(Create(registered, provider), this);
        });
    }

    /// <summary>Serilog's per-category levels from the service's configuration, longest prefix first.</summary>
    private static List<(string Prefix, LogLevel Level)> Overrides(IConfiguration configuration) =>
        configuration.GetSection("Serilog:MinimumLevel:Override").GetChildren()
            .Select(c => (c.Key, Level: c.Value switch
            {
                "Verbose" => LogLevel.Trace,
                "Debug" => LogLevel.Debug,
                "Information" => LogLevel.Information,
                "Warning" => LogLevel.Warning,
                "Error" => LogLevel.Error,
                "Fatal" => LogLevel.Critical,
                _ => (LogLevel?)null,
            }))
            .Where(o => o.Level is not null)
            .Select(o => (o.Key, o.Level!.Value))
            .OrderByDescending(o => o.Key.Length)
            .ToList();

    private LogLevel LevelOf(string category)
    {
        foreach (var (prefix, level) in overrides)
        {
            if (category == prefix || (category.StartsWith(prefix, StringComparison.Ordinal) && category[prefix.Length] == '.'))
            {
                return level;
            }
        }
        return MinimumLevel;
    }

    private static ILoggerFactory Create(ServiceDescriptor descriptor, IServiceProvider provider) =>
        (ILoggerFactory)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(provider)
            ?? ActivatorUtilities.CreateInstance(provider, descriptor.ImplementationType!));

    /// <summary>One recorded line: its category, level, formatted message and exception (type, message and stack), if any.</summary>
    public sealed record Line(string Category, LogLevel Level, string Message, string? Exception)
    {
        public override string ToString() => $"[{Level}] {Category}: {Message}{(Exception is null ? "" : $"\n{Exception}")}";
    }

    /// <summary>The lines logged between <see cref="Record"/> and its disposal.</summary>
    public sealed class Recording(LogCapture owner) : IDisposable
    {
        private readonly ConcurrentQueue<Line> lines = new();

        public IReadOnlyList<Line> Lines => [.. lines];

        internal void Add(Line line) => lines.Enqueue(line);

        public void Dispose() => owner.Stop(this);
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        private LogLevel? minimum;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) =>
            owner.active > 0 && logLevel != LogLevel.None && logLevel >= (minimum ??= owner.LevelOf(category));

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }
            var line = new Line(category, logLevel, formatter(state, exception), exception?.ToString());
            foreach (var recording in owner.recordings.Keys)
            {
                recording.Add(line);
            }
        }
    }

    /// <summary>The services' own factory, with every logger it creates also writing to the capture.</summary>
    private sealed class TeeLoggerFactory(ILoggerFactory inner, LogCapture capture) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new TeeLogger(inner.CreateLogger(categoryName), capture.CreateLogger(categoryName));

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        public void Dispose() => inner.Dispose();
    }

    private sealed class TeeLogger(ILogger first, ILogger second) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => first.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => first.IsEnabled(logLevel) || second.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (first.IsEnabled(logLevel))
            {
                first.Log(logLevel, eventId, state, exception, formatter);
            }
            second.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
