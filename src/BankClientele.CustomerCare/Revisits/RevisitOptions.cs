using BankClientele.CustomerCare.Book;

namespace BankClientele.CustomerCare.Revisits;

/// <summary>The "Revisits" configuration section: cadences, triggers and escalation.</summary>
public sealed class RevisitOptions
{
    public const string Section = "Revisits";

    /// <summary>Days between regular visits per tier; a tier absent (Mass) has none.</summary>
    public Dictionary<string, int> CadenceDays { get; set; } = new()
    {
        [CustomerTiers.PrivateBanking] = 14,
        [CustomerTiers.HighNetWorth] = 30,
        [CustomerTiers.Wealth] = 60,
        [CustomerTiers.Affluent] = 90,
    };

    /// <summary>How many days overdue before the customer goes back to the branch pool (公海), per tier.</summary>
    public Dictionary<string, int> PoolAfterOverdueDays { get; set; } = new()
    {
        [CustomerTiers.PrivateBanking] = 14,
        [CustomerTiers.HighNetWorth] = 21,
        [CustomerTiers.Wealth] = 30,
        [CustomerTiers.Affluent] = 45,
    };

    /// <summary>Revisits due within this many days are created ahead, so the agenda shows the week.</summary>
    public int LookaheadDays { get; set; } = 7;

    /// <summary>Flight risk: deposits dropped by this share and this amount over the window.</summary>
    public decimal FlightRiskDropShare { get; set; } = 0.30m;
    public decimal FlightRiskMinimumDrop { get; set; } = 100_000m;
    public int FlightRiskWindowDays { get; set; } = 7;

    /// <summary>A time deposit maturing within this many days calls for a visit.</summary>
    public int MaturityWindowDays { get; set; } = 14;

    /// <summary>A welcome visit is due this many days after a new assignment.</summary>
    public int WelcomeWithinDays { get; set; } = 3;

    /// <summary>The branch lead is told when a revisit is this many days overdue (the manager on the first).</summary>
    public int LeadNoticeAfterOverdueDays { get; set; } = 3;

    /// <summary>
    /// Customers at risk (Insights' segmentation): a lifecycle stage among these ("Convert" = win back),
    /// or a probability alive below <see cref="AtRiskProbabilityAlive"/>. Their cadence is the tier's
    /// times <see cref="AtRiskCadenceFactor"/>, rounded up, never under <see cref="AtRiskMinimumCadenceDays"/>.
    /// </summary>
    public string[] AtRiskLifecycleStages { get; set; } = ["Convert"];
    public double AtRiskProbabilityAlive { get; set; } = 0.3;
    public double AtRiskCadenceFactor { get; set; } = 0.5;
    public int AtRiskMinimumCadenceDays { get; set; } = 7;

    public int? CadenceFor(string tier) => CadenceDays.TryGetValue(tier, out var days) && days > 0 ? days : null;

    public int? PoolAfterFor(string tier) => PoolAfterOverdueDays.TryGetValue(tier, out var days) && days > 0 ? days : null;
}
