namespace BankClientele.Contracts.CustomerCare;

/// <summary>
/// A customer's tier moved, from assets under management averaged over the tier window.
/// Tiers: Mass, Affluent, Wealth, HighNetWorth, PrivateBanking (lowest to highest).
/// </summary>
public sealed record CustomerTierChanged(
    Guid CustomerId,
    string CustomerNumber,
    string BranchCode,
    string? PreviousTier,
    string Tier,
    decimal AverageAssets,
    DateTimeOffset ChangedAt);
