namespace BankClientele.CustomerCare.Revisits;

/// <summary>
/// Hands the reminders the escalation wrote to their other channel (a branch's group-bot webhook, <c>Webhooks/</c>),
/// at the end of the nightly pass; how many it handed over. Revisits only know this interface, so the webhooks
/// depend on revisits and not the other way round.
/// </summary>
public interface IReminderHandOver
{
    Task<int> HandOverAsync(CancellationToken ct);
}
