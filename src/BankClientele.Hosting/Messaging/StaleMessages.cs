using Microsoft.Extensions.Logging;

namespace BankClientele.Hosting.Messaging;

/// <summary>
/// Events that change who owns something carry a version per aggregate (one more at every change, in the
/// owner's transaction): a consumer keeps the version it applied and ignores one lower than or equal to it,
/// whatever order the broker delivers them in, and says so here.
/// </summary>
public static partial class StaleMessages
{
    /// <summary>
    /// Whether a message of <paramref name="version"/> (made at <paramref name="at"/>) is newer than what is held.
    /// Versions decide; only when both are 0 (bodies from before versions) does the later time win.
    /// </summary>
    public static bool IsNewer(long version, DateTimeOffset at, long heldVersion, DateTimeOffset heldAt) =>
        version > 0 || heldVersion > 0 ? version > heldVersion : at >= heldAt;

    /// <summary>The record that a stale message was ignored (Information).</summary>
    [LoggerMessage(Level = LogLevel.Information,
        Message = "Ignored a stale {MessageType} of customer {CustomerId}: version {Version}, already holding version {HeldVersion}")]
    public static partial void Ignored(ILogger logger, string messageType, Guid customerId, long version, long heldVersion);
}
