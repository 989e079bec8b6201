using BankClientele.CustomerCare.Book;

namespace BankClientele.CustomerCare.Revisits;

/// <summary>
/// The rules of revisits in one place. The nightly pass applies the same rules set-based in SQL
/// (<see cref="NightlyRevisitJob"/>); these are their definitions, and what the unit tests pin down.
/// </summary>
public static class RevisitRules
{
    /// <summary>When the next regular visit is due: the tier's cadence after the last visit (or joining).</summary>
    public static DateOnly? NextScheduledVisit(RevisitOptions options, string tier, DateOnly lastVisitOrJoined, bool atRisk = false) =>
        Cadence(options, tier, atRisk) is { } days ? lastVisitOrJoined.AddDays(days) : null;

    /// <summary>
    /// At risk, by Insights' segmentation: in a win-back lifecycle stage ("Convert" by default), or
    /// unlikely to be still active (P(alive) below the threshold). Unknown (no segment yet) is not at risk.
    /// </summary>
    public static bool IsAtRisk(RevisitOptions options, string? lifecycleStage, double? probabilityAlive) =>
        (lifecycleStage is not null && options.AtRiskLifecycleStages.Contains(lifecycleStage))
        || probabilityAlive < options.AtRiskProbabilityAlive;

    /// <summary>
    /// Days between regular visits: the tier's cadence, shortened for a customer at risk to the
    /// cadence times the factor, rounded up, and not under the minimum (nor over the tier's own).
    /// A tier without a cadence (Mass) gets none, at risk or not.
    /// </summary>
    public static int? Cadence(RevisitOptions options, string tier, bool atRisk)
    {
        if (options.CadenceFor(tier) is not { } days)
        {
            return null;
        }
        return atRisk ? Math.Min(days, Math.Max(options.AtRiskMinimumCadenceDays, (int)Math.Ceiling(days * options.AtRiskCadenceFactor))) : days;
    }

    /// <summary>Whether a regular visit due on <paramref name="due"/> is created tonight (the week ahead).</summary>
    public static bool CreateTonight(RevisitOptions options, DateOnly due, DateOnly today) =>
        due <= today.AddDays(options.LookaheadDays);

    /// <summary>A large outflow: deposits fell by the configured share and amount over the window.</summary>
    public static bool IsFlightRisk(RevisitOptions options, decimal depositBefore, decimal depositNow)
    {
        var drop = depositBefore - depositNow;
        return depositBefore > 0 && drop >= options.FlightRiskMinimumDrop && drop >= depositBefore * options.FlightRiskDropShare;
    }

    /// <summary>A time deposit maturing within the window (from today on) calls for a visit, a week before it matures.</summary>
    public static DateOnly? MaturityVisitDue(RevisitOptions options, DateOnly? maturesOn, DateOnly today) =>
        maturesOn is { } date && date >= today && date <= today.AddDays(options.MaturityWindowDays)
            ? Max(today, date.AddDays(-7))
            : null;

    /// <summary>The escalation stage an open revisit has reached: 0 none, 1 manager reminded, 2 lead told, 3 back to the pool.</summary>
    public static int EscalationStage(RevisitOptions options, string tier, DateOnly dueOn, DateOnly today)
    {
        var overdue = today.DayNumber - dueOn.DayNumber;
        if (overdue <= 0)
        {
            return 0;
        }
        if (options.PoolAfterFor(tier) is { } poolAfter && overdue > poolAfter)
        {
            return 3;
        }
        return overdue >= options.LeadNoticeAfterOverdueDays ? 2 : 1;
    }

    /// <summary>
    /// How urgent a revisit is (higher first): the reason's weight, the customer's tier, and how far
    /// overdue it is. A customer walking out with their deposits outranks a routine call.
    /// </summary>
    public static int Priority(string reason, string tier, DateOnly dueOn, DateOnly today)
    {
        var weight = reason switch
        {
            RevisitReasons.FlightRisk => 50,
            RevisitReasons.Maturity => 40,
            RevisitReasons.LobbyEvent => 30,
            RevisitReasons.Welcome => 25,
            _ => 10,
        };
        var overdue = Math.Clamp(today.DayNumber - dueOn.DayNumber, 0, 30);
        return weight + 5 * CustomerTiers.Rank(tier) + 2 * overdue;
    }

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
}
