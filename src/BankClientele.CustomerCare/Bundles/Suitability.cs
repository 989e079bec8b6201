using BankClientele.Hosting.Refusals;
using System.Globalization;

namespace BankClientele.CustomerCare.Bundles;

/// <summary>
/// Suitability (适当性): a customer may be offered a product only when their risk assessment is at
/// least the product's rating (C_n ≥ R_n) and no older than a year. Problems name the field at fault.
/// </summary>
public static class Suitability
{
    /// <summary>Why <see cref="Check"/> refuses a field, as the offer's problem names it (<c>errorCodes</c>).</summary>
    public static string ReasonOf(string field) => field switch
    {
        "riskLevel" => FieldReasons.NoRiskAssessment,
        "riskAssessedOn" => FieldReasons.RiskAssessmentExpired,
        _ => FieldReasons.AboveRiskLevel,
    };

    /// <summary>Field → messages; empty when every product suits the customer.</summary>
    public static Dictionary<string, string[]> Check(int? riskLevel, DateOnly? assessedOn, IEnumerable<Product> products, DateOnly today)
    {
        var problems = new Dictionary<string, string[]>();
        if (riskLevel is null || assessedOn is null)
        {
            problems["riskLevel"] = ["The customer has no risk assessment; assess them before offering products."];
            return problems;
        }
        if (assessedOn.Value.AddYears(1) < today)
        {
            problems["riskAssessedOn"] = [$"The risk assessment of {assessedOn:yyyy-MM-dd} has expired (valid one year); assess the customer again."];
            return problems;
        }
        var above = products.Where(p => p.RiskRating > riskLevel.Value)
            .Select(p => $"{p.Code} is rated R{p.RiskRating}, above the customer's C{riskLevel}.").ToArray();
        if (above.Length > 0)
        {
            problems["bundleCode"] = above;
        }
        return problems;
    }
}

/// <summary>What the recommendation looks at in a customer's book.</summary>
public sealed record CustomerSituation(
    decimal IdleDemandBalance,
    DateOnly? NextTimeDepositMaturity,
    bool HoldsWealthProduct,
    decimal InflowLast30Days,
    decimal DepositBalance);

/// <summary>
/// A reason a bundle suits a customer: its code, its points, its text in English for a reader of the API, and
/// the values the text names, in its order (amounts in yuan as invariant numbers, dates as yyyy-MM-dd, a
/// product's name), for a reader that words the code in its own language.
/// </summary>
public sealed record ScoredReason(string Code, int Points, string Text, IReadOnlyList<string> Values)
{
    public static ScoredReason Of(string code, int points, string text, params object[] values) =>
        new(code, points, text, [.. values.Select(v => v switch
        {
            decimal amount => amount.ToString("0.##", CultureInfo.InvariantCulture),
            DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
        })]);
}

/// <summary>
/// Scores a bundle for a customer's situation: idle money on demand deposits, a time deposit maturing
/// soon, no wealth product yet, a recent large inflow; each reason adds points and is shown.
/// </summary>
public static class BundleScoring
{
    public const decimal IdleThreshold = 50_000m;
    public const decimal LargeInflow = 100_000m;
    public const int MaturityWindowDays = 30;

    public static List<ScoredReason> Reasons(CustomerSituation s, Product deposit, IReadOnlyList<Product> wealth, DateOnly today)
    {
        var reasons = new List<ScoredReason>();
        if (s.IdleDemandBalance >= IdleThreshold && deposit.Kind != ProductKind.DemandDeposit)
        {
            reasons.Add(ScoredReason.Of("idle-demand-balance", 30, $"¥{s.IdleDemandBalance:N0} idle on demand deposits could earn more in {deposit.Name}.",
                s.IdleDemandBalance, deposit.Name));
        }
        if (s.NextTimeDepositMaturity is { } maturity && maturity >= today && maturity <= today.AddDays(MaturityWindowDays))
        {
            reasons.Add(ScoredReason.Of("time-deposit-maturing", 25, $"A time deposit matures on {maturity:yyyy-MM-dd}: offer the bundle before the money leaves.", maturity));
        }
        if (!s.HoldsWealthProduct && wealth.Count > 0)
        {
            reasons.Add(ScoredReason.Of("no-wealth-product", 20, "No wealth product yet: the bundle is a first step into wealth management."));
        }
        if (s.InflowLast30Days >= LargeInflow)
        {
            reasons.Add(ScoredReason.Of("recent-large-inflow", 25, $"¥{s.InflowLast30Days:N0} came in over the last 30 days.", s.InflowLast30Days));
        }
        var minimum = wealth.Select(p => p.MinimumAmount).Append(deposit.MinimumAmount).Max();
        if (reasons.Count > 0 && s.DepositBalance < minimum)
        {
            reasons.Add(ScoredReason.Of("below-minimum", -40, $"Deposits of ¥{s.DepositBalance:N0} are below the bundle's minimum of ¥{minimum:N0}.",
                s.DepositBalance, minimum));
        }
        return reasons;
    }
}
