namespace BankClientele.Hosting.Messaging;

/// <summary>
/// One move of messages from a consumer's <c>_error</c> queue back to its queue for another try:
/// who asked, in which role, which queue, how many were moved and when. Kept in the service's own
/// database, written by the request that moved them.
/// </summary>
public sealed class ErrorQueueRetry
{
    public Guid Id { get; init; }
    public required string StaffId { get; init; }
    public required string Role { get; init; }
    public required string Queue { get; init; }
    public int Moved { get; init; }
    public DateTimeOffset RetriedAt { get; init; }
}
