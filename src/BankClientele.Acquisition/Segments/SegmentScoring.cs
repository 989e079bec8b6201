namespace BankClientele.Acquisition.Segments;

/// <summary>A candidate target segment with what the four tests need.</summary>
/// <param name="Reachable">How many may be contacted: marketing consent, not on the do-not-contact list.</param>
/// <param name="ExpectedValue">Expected value per customer (yuan): Insights' CLV of similar converted customers, else their deposits.</param>
public sealed record SegmentCandidate(string District, string AgeBand, int Size, int Reachable, decimal ExpectedValue);

/// <summary>Sub-scores 0 to 100 and their mean, the score the ranking sorts by.</summary>
public sealed record RankedSegment(
    int Rank, string District, string AgeBand, int Size, int Reachable, decimal ExpectedValue,
    double Reachability, double SizeScore, double Profitability, double Fit, double Score);

/// <summary>
/// Ranks candidate segments on the four tests a target market must pass: reachability (share that
/// may be contacted), size (against the largest candidate), profitability (expected value against
/// the best candidate) and fit (the branch's capacity to serve the reachable people).
/// </summary>
public static class SegmentScoring
{
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
            .OrderByDescending(x => x.score).ThenByDescending(x => x.c.Size).ThenBy(x => x.c.District, StringComparer.Ordinal).ThenBy(x => x.c.AgeBand, StringComparer.Ordinal)
            .Select((x, i) => new RankedSegment(i + 1, x.c.District, x.c.AgeBand, x.c.Size, x.c.Reachable, x.c.ExpectedValue,
                Math.Round(x.reach, 1), Math.Round(x.size, 1), Math.Round(x.profit, 1), Math.Round(x.fit, 1), Math.Round(x.score, 1, MidpointRounding.AwayFromZero)))
            .ToList();
    }
}
