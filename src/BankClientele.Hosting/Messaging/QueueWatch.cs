using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BankClientele.Hosting.Messaging;

/// <summary>
/// Looks at this service's queues every <c>Messaging:QueueCheckInterval</c> (a minute) and warns in the log
/// of what the system page raises as alarms: an _error queue holding messages (they failed every retry and
/// wait for someone) and a queue at its alarm length. A queue is named again when its count changes, and
/// every <c>Messaging:QueueWarningRepeat</c> (an hour) while it stays the same, not at every look.
/// </summary>
public sealed partial class QueueWatch(BusQueueNames names, BusQueueInspector inspector, IConfiguration configuration, ILogger<QueueWatch> logger)
    : BackgroundService
{
    private readonly Dictionary<string, (uint Count, DateTimeOffset At)> warned = new(StringComparer.Ordinal);

    private TimeSpan Interval => configuration.GetValue("Messaging:QueueCheckInterval", TimeSpan.FromMinutes(1));

    private TimeSpan Repeat => configuration.GetValue("Messaging:QueueWarningRepeat", TimeSpan.FromHours(1));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The broker away: the readiness check and the outbox relay say so; try again at the next tick.
                LogCheckFailed(logger, e.GetType().Name, e.Message);
            }
        }
    }

    private async Task CheckAsync(CancellationToken ct)
    {
        var queues = names.All;
        if (queues.Count == 0)
        {
            return;
        }
        var now = DateTimeOffset.UtcNow;
        foreach (var queue in await inspector.StatusAsync(queues, ct))
        {
            if (Due(queue.ErrorQueue, queue.ErrorMessages, now))
            {
                LogErrorQueue(logger, queue.ErrorQueue, queue.ErrorMessages, queue.Queue);
            }
            if (Due(queue.Queue, queue.Messages >= queue.AlarmLength ? queue.Messages : 0, now))
            {
                LogQueueAlarm(logger, queue.Queue, queue.Messages, queue.AlarmLength, queue.Consumers);
            }
        }
    }

    /// <summary>Whether a non-zero count is to be logged now: new, changed, or unchanged for <see cref="Repeat"/>.</summary>
    private bool Due(string queue, uint count, DateTimeOffset now)
    {
        if (count == 0)
        {
            warned.Remove(queue);
            return false;
        }
        if (warned.TryGetValue(queue, out var last) && last.Count == count && now - last.At < Repeat)
        {
            return false;
        }
        warned[queue] = (count, now);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{ErrorQueue} holds {Count} message(s) that failed every retry of {Queue}: list them with `bankclientele errors list`, retry with `bankclientele errors retry` once the cause is fixed")]
    private static partial void LogErrorQueue(ILogger logger, string errorQueue, uint count, string queue);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Queue} holds {Count} messages, at or over its alarm length {AlarmLength} ({Consumers} consumer(s)): its consumer is stopped or falling behind")]
    private static partial void LogQueueAlarm(ILogger logger, string queue, uint count, long alarmLength, uint consumers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look at the queues: {ExceptionType}: {ExceptionMessage}")]
    private static partial void LogCheckFailed(ILogger logger, string exceptionType, string exceptionMessage);
}
