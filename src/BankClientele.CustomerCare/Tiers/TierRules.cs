using System.Globalization;
using System.Text;
using BankClientele.CustomerCare.Book;

namespace BankClientele.CustomerCare.Tiers;

/// <summary>
/// Configuration section <c>Tiers</c>: the averaging window and the lower bound (yuan of assets
/// under management: deposits plus wealth) of each tier above Mass. The defaults follow the usual
/// grading of Chinese retail banks: 大众 mass, 金卡 affluent from 50,000, 白金/财富 from 500,000,
/// 钻石/高净值 from 2,000,000, 私人银行 private banking from 6,000,000.
/// </summary>
public sealed class TierOptions
{
    public const string Section = "Tiers";

    public int WindowDays { get; set; } = 90;
    public decimal Affluent { get; set; } = 50_000m;
    public decimal Wealth { get; set; } = 500_000m;
    public decimal HighNetWorth { get; set; } = 2_000_000m;
    public decimal PrivateBanking { get; set; } = 6_000_000m;
}

/// <summary>A tier and the assets from which it starts.</summary>
public sealed record TierThreshold(string Tier, decimal From);

/// <summary>The tier rules: which tier an average of assets falls in, in C# and as the SQL the merges run.</summary>
public sealed class TierRules
{
    public TierRules(TierOptions options)
    {
        if (options.WindowDays is < 1 or > 3660)
        {
            throw new ArgumentException($"Tiers:WindowDays must be between 1 and 3660 (it is {options.WindowDays}).", nameof(options));
        }
        Thresholds =
        [
            new(CustomerTiers.Mass, 0m),
            new(CustomerTiers.Affluent, options.Affluent),
            new(CustomerTiers.Wealth, options.Wealth),
            new(CustomerTiers.HighNetWorth, options.HighNetWorth),
            new(CustomerTiers.PrivateBanking, options.PrivateBanking),
        ];
        for (var i = 1; i < Thresholds.Count; i++)
        {
            if (Thresholds[i].From <= Thresholds[i - 1].From)
            {
                throw new ArgumentException(
                    $"Tiers:{Thresholds[i].Tier} ({Thresholds[i].From}) must be above Tiers:{Thresholds[i - 1].Tier} ({Thresholds[i - 1].From}).", nameof(options));
            }
        }
        WindowDays = options.WindowDays;
    }

    public int WindowDays { get; }

    /// <summary>Lowest first; Mass from 0.</summary>
    public IReadOnlyList<TierThreshold> Thresholds { get; }

    /// <summary>The highest tier whose lower bound the average reaches (a bound belongs to the tier above it).</summary>
    public string TierOf(decimal averageAssets)
    {
        for (var i = Thresholds.Count - 1; i > 0; i--)
        {
            if (averageAssets >= Thresholds[i].From)
            {
                return Thresholds[i].Tier;
            }
        }
        return CustomerTiers.Mass;
    }

    /// <summary>The same rule as an SQL CASE over <paramref name="assets"/> (the bounds are numbers from configuration, not input).</summary>
    public string SqlCase(string assets)
    {
        var sql = new StringBuilder("CASE");
        for (var i = Thresholds.Count - 1; i > 0; i--)
        {
            sql.Append(CultureInfo.InvariantCulture, $" WHEN {assets} >= {Thresholds[i].From} THEN '{Thresholds[i].Tier}'");
        }
        return sql.Append(CultureInfo.InvariantCulture, $" ELSE '{CustomerTiers.Mass}' END").ToString();
    }
}
