using BankClientele.CustomerCare.Book;

namespace BankClientele.CustomerCare.Assignment;

/// <summary>
/// Configuration section "Assignment". Customers of <see cref="MinimumTier"/> and above must each have
/// one manager of their branch (default Wealth: 500k yuan and above is where Chinese retail banks give
/// a dedicated manager). A customer weighs <see cref="TierWeights"/> of their tier in a manager's
/// capacity; tiers from <see cref="SeniorFromTier"/> fit senior managers best.
/// </summary>
public sealed class AssignmentOptions
{
    public const string Section = "Assignment";

    public string MinimumTier { get; set; } = CustomerTiers.Wealth;

    public string SeniorFromTier { get; set; } = CustomerTiers.HighNetWorth;

    public Dictionary<string, int> TierWeights { get; set; } = new()
    {
        [CustomerTiers.Mass] = 1,
        [CustomerTiers.Affluent] = 1,
        [CustomerTiers.Wealth] = 2,
        [CustomerTiers.HighNetWorth] = 3,
        [CustomerTiers.PrivateBanking] = 5,
    };

    public int ContinuityCost { get; set; } = 30;
    public int BalanceStep { get; set; } = 10;
    public int BalanceBlocks { get; set; } = 10;
    public int FitCost { get; set; } = 20;

    /// <summary>Cron of the nightly run that assigns unassigned eligible customers, in branch time (09:30, 01:30 UTC).</summary>
    public string NightlyCron { get; set; } = "30 9 * * *";

    public int WeightOf(string tier) => TierWeights.TryGetValue(tier, out var w) && w > 0 ? w : 1;

    public bool IsEligible(string tier) => CustomerTiers.Rank(tier) >= CustomerTiers.Rank(MinimumTier);

    public bool PrefersSenior(string tier) => CustomerTiers.Rank(tier) >= CustomerTiers.Rank(SeniorFromTier);

    public AssignmentCosts Costs => new(ContinuityCost, BalanceStep, BalanceBlocks, FitCost);
}
