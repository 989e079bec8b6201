using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace BankClientele.Hosting.Messaging;

/// <summary>
/// Events that change who owns something carry a version per aggregate (one more at every change, in the
/// owner's transaction): a consumer keeps the version it applied and ignores one lower than or equal to it,
/// whatever order the broker delivers them in, and says so here: a log line and the
/// <c>bankclientele.messages.stale</c> counter (by message type), so an operator sees how often the bus reorders.
/// </summary>
public static partial class StaleMessages
{
    public const string MeterName = "BankClientele.Messaging";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Stale messages ignored, tagged with <c>message_type</c>.</summary>
    public static readonly Counter<long> Counter = Meter.CreateCounter<long>("bankclientele.messages.stale", unit: "{message}",
        description: "Messages ignored because the consumer already held a newer version of their aggregate.");

    /// <summary>
    /// Whether a message of <paramref name="version"/> (made at <paramref name="at"/>) is newer than what is held.
    /// Versions decide; only when both are 0 (bodies from before versions) does the later time win.
    /// </summary>
    public static bool IsNewer(long version, DateTimeOffset at, long heldVersion, DateTimeOffset heldAt) =>
        version > 0 || heldVersion > 0 ? version > heldVersion : at >= heldAt;

    /// <summary>Records that a stale message was ignored: counted, and logged at Information.</summary>
    public static void Ignored(ILogger logger, string messageType, Guid customerId, long version, long heldVersion)
    {
        Counter.Add(1, new KeyValuePair<string, object?>("message_type", messageType));
        LogIgnored(logger, messageType, customerId, version, heldVersion);
    }

    /// <summary>Records that <paramref name="count"/> messages of a batch were stale (set-based consumers know how many, not which).</summary>
    public static void IgnoredInBatch(ILogger logger, string messageType, int count)
    {
        Counter.Add(count, new KeyValuePair<string, object?>("message_type", messageType));
        LogIgnoredInBatch(logger, messageType, count);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Ignored a stale {MessageType} of customer {CustomerId}: version {Version}, already holding version {HeldVersion}")]
    private static partial void LogIgnored(ILogger logger, string messageType, Guid customerId, long version, long heldVersion);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Ignored {Count} stale {MessageType} in a batch: their customers already held a newer version")]
    private static partial void LogIgnoredInBatch(ILogger logger, string messageType, int count);
}
