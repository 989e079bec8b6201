namespace BankClientele.Acquisition.Segments;

/// <summary>How a candidate's expected value per customer was found.</summary>
public static class ProfitabilityBasis
{
    /// <summary>Insights' CLV of similar existing customers (the segment's converted people, shrunk to the branch's).</summary>
    public const string Clv = "clv";

    /// <summary>No CLV has arrived yet: deposits (after 90 days, else the first) of the segment's converted people.</summary>
    public const string Deposits = "deposits";

    public const string None = "none";
}

/// <summary>A candidate target segment with what the four tests need.</summary>
/// <param name="Label">The criteria's values (or a defined segment's name) for people to read.</param>
/// <param name="Reachable">How many may be contacted: marketing consent, not on the do-not-contact list.</param>
/// <param name="ExpectedValue">Expected value per customer (yuan), see <see cref="ProfitabilityBasis"/>.</param>
/// <param name="SimilarCustomers">Existing customers of the segment whose CLV Insights reported.</param>
public sealed record SegmentCandidate(
    string Label, SegmentCriteria Criteria, int Size, int Reachable, decimal ExpectedValue,
    string Basis = ProfitabilityBasis.None, int SimilarCustomers = 0, string? DefinedName = null);

/// <summary>Sub-scores 0 to 100 and their mean, the score the ranking sorts by.</summary>
public sealed record RankedSegment(
    int Rank, string Label, string? DefinedName, IReadOnlyDictionary<string, string> Criteria, int Size, int Reachable,
    decimal ExpectedValue, string ProfitabilityBasis, int SimilarCustomers,
    double Reachability, double SizeScore, double Profitability, double Fit, double Score);

/// <summary>
/// Ranks candidate segments on the four tests a target market must pass: reachability (share that
/// may be contacted), size (against the largest candidate), profitability (expected value against
/// the best candidate) and fit (the branch's capacity to serve the reachable people).
/// </summary>
public static class SegmentScoring
{
    /// <summary>
    /// A segment's own CLV average weighs like this many customers against the branch's average, so a
    /// segment of one lucky customer does not top the ranking (empirical-Bayes shrinkage).
    /// </summary>
    public const int ShrinkageCustomers = 5;

    /// <summary>The expected value per customer of a segment and its basis.</summary>
    public static (decimal Value, string Basis) ExpectedValue(
        decimal? segmentClv, int similarCustomers, decimal? branchClv, decimal? segmentDeposits)
    {
        if (branchClv is { } branch)
        {
            var own = segmentClv ?? branch;
            var value = (own * similarCustomers + branch * ShrinkageCustomers) / (similarCustomers + ShrinkageCustomers);
            return (Math.Round(value, 2), ProfitabilityBasis.Clv);
        }
        if (segmentClv is { } clv)
        {
            return (Math.Round(clv, 2), ProfitabilityBasis.Clv);
        }
        return segmentDeposits is { } deposits ? (Math.Round(deposits, 2), ProfitabilityBasis.Deposits) : (0m, ProfitabilityBasis.None);
    }

    public static List<RankedSegment> Rank(IReadOnlyList<SegmentCandidate> candidates, int branchCapacity)
    {
        if (candidates.Count == 0)
        {
            return [];
        }
        var maxSize = candidates.Max(c => c.Size);
        var maxValue = candidates.Max(c => c.ExpectedValue);
        return candidates
            .Select(c =>
            {
                var reach = c.Size == 0 ? 0 : 100.0 * c.Reachable / c.Size;
                var size = maxSize == 0 ? 0 : 100.0 * c.Size / maxSize;
                var profit = maxValue <= 0 ? 0 : (double)(100m * c.ExpectedValue / maxValue);
                var fit = c.Reachable == 0 ? 0 : 100.0 * Math.Min(1.0, (double)branchCapacity / c.Reachable);
                return (c, reach, size, profit, fit, score: (reach + size + profit + fit) / 4);
            })
            .OrderByDescending(x => x.score).ThenByDescending(x => x.c.Size).ThenBy(x => x.c.Label, StringComparer.Ordinal)
            .Select((x, i) => new RankedSegment(i + 1, x.c.Label, x.c.DefinedName, x.c.Criteria.Set(), x.c.Size, x.c.Reachable, x.c.ExpectedValue,
                x.c.Basis, x.c.SimilarCustomers,
                Math.Round(x.reach, 1), Math.Round(x.size, 1), Math.Round(x.profit, 1), Math.Round(x.fit, 1), Math.Round(x.score, 1, MidpointRounding.AwayFromZero)))
            .ToList();
    }
}
