using MathNet.Numerics;

namespace BankClientele.Insights.Uplift;

/// <summary>
/// Intervals for a Callaway–Sant'Anna estimate whose cohorts hold one treated unit each (the lobby events: one
/// branch per start week). The influence-function error is then wrong: a cohort's own spread is taken from its
/// one unit, so it is zero, and the interval holds only the control branches' noise. Randomization inference
/// puts the treated branch's noise back: the start weeks are reassigned to branches at random (same cohorts and
/// sizes), the estimator is rerun on the outcomes with the estimated effect taken out, and the spread of these
/// placebo estimates is the estimate's own error (Conley &amp; Taber 2011's idea, drawn by permutation so that
/// the shared control mean and each branch's serial correlation are kept, MacKinnon &amp; Webb 2020). A wild or
/// cluster bootstrap is not used: with one treated cluster it cannot see that cluster's variance either.
/// Assumes branches are exchangeable (their noise alike) and the effect about constant.
/// </summary>
public static class RandomizationInference
{
    public const string Code = "randomization";

    /// <summary>Placebo assignments drawn; fixed seed, so the same data always give the same interval.</summary>
    public const int Draws = 999;

    private const int Seed = 23;

    /// <summary>Fewer distinct assignments than this and the 2.5 % tails are a handful of cases: the influence-function interval stays.</summary>
    private const double MinimumAssignments = 1_000;

    public static StaggeredEstimate Apply(IReadOnlyList<StaggeredObservation> observations, ControlGroup control, StaggeredEstimate estimate)
    {
        var periods = observations.Select(o => o.Period).Distinct().Order().ToArray();
        var periodIndex = periods.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i);
        var unitIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var labels = new List<int>(); // first treated period; never = int.MaxValue (so "not yet treated by t" is label > t)
        foreach (var o in observations)
        {
            if (unitIds.TryAdd(o.Unit, labels.Count))
            {
                labels.Add(o.FirstTreated ?? int.MaxValue);
            }
        }
        var units = labels.Count;
        // Units treated from the first period are in no comparison; the rest swap start weeks.
        var eligible = Enumerable.Range(0, units).Where(u => labels[u] > periods[0]).ToArray();
        if (LogAssignments(eligible.Select(u => labels[u])) < Math.Log(MinimumAssignments))
        {
            return estimate;
        }
        // Outcomes with the estimated effect taken out of the treated branches' treated weeks.
        var y = new double[units, periods.Length];
        var seen = new bool[units, periods.Length];
        foreach (var o in observations)
        {
            var (u, t) = (unitIds[o.Unit], periodIndex[o.Period]);
            y[u, t] = o.Outcome - (labels[u] > periods[0] && o.Period >= labels[u] ? estimate.Att : 0);
            seen[u, t] = true;
        }
        var cells = estimate.GroupTime;
        // Per cell: each unit's change between the two periods, and the sum and count over the units seen in both.
        // A draw's controls are those sums less the few units with a start week by then (or any, never-treated).
        var diff = new double[cells.Count, units];
        var usable = new bool[cells.Count, units];
        var (usableSum, usableCount) = (new double[cells.Count], new int[cells.Count]);
        for (var c = 0; c < cells.Count; c++)
        {
            var (t, b) = (periodIndex[cells[c].Period], periodIndex[cells[c].BasePeriod]);
            for (var u = 0; u < units; u++)
            {
                usable[c, u] = seen[u, t] && seen[u, b];
                diff[c, u] = y[u, t] - y[u, b];
                if (usable[c, u])
                {
                    usableSum[c] += diff[c, u];
                    usableCount[c]++;
                }
            }
        }
        var labelled = Enumerable.Range(0, units).Where(u => labels[u] != int.MaxValue).ToArray();
        var labelledStarts = new int[labelled.Length];
        // Each draw: ATT(g, t) of every cell under shuffled start weeks.
        var placebo = cells.Select(_ => new double[Draws]).ToArray();
        var cellGroup = cells.Select(e => e.Group).ToArray();
        var cellLater = cells.Select(e => Math.Max(e.Period, e.BasePeriod)).ToArray();
        var random = new Random(Seed);
        var shuffled = labels.ToArray();
        var starts = eligible.Select(u => labels[u]).ToArray();
        for (var r = 0; r < Draws; r++)
        {
            random.Shuffle(starts);
            for (var i = 0; i < eligible.Length; i++)
            {
                shuffled[eligible[i]] = starts[i];
            }
            var labelledCount = 0;
            for (var u = 0; u < units; u++)
            {
                if (shuffled[u] != int.MaxValue)
                {
                    labelled[labelledCount] = u;
                    labelledStarts[labelledCount++] = shuffled[u];
                }
            }
            for (var c = 0; c < cellGroup.Length; c++)
            {
                var (g, later) = (cellGroup[c], cellLater[c]);
                double treatedSum = 0, controlSum = usableSum[c];
                int treatedCount = 0, controlCount = usableCount[c];
                for (var i = 0; i < labelledCount; i++)
                {
                    var u = labelled[i];
                    if (!usable[c, u])
                    {
                        continue;
                    }
                    var label = labelledStarts[i];
                    if (label == g)
                    {
                        treatedSum += diff[c, u];
                        treatedCount++;
                    }
                    if (label == g || control == ControlGroup.NeverTreated || label <= later)
                    {
                        controlSum -= diff[c, u];
                        controlCount--;
                    }
                }
                placebo[c][r] = treatedCount > 0 && controlCount > 0 ? treatedSum / treatedCount - controlSum / controlCount : double.NaN;
            }
        }
        var size = labels.GroupBy(l => l).ToDictionary(g => g.Key, g => (double)g.Count());
        var weights = cells.Select(e => size[e.Group]).ToArray();
        var (errors, sums, weightSums) = (new double[Draws], new double[Draws], new double[Draws]);
        // An aggregate's placebo error is the same group-size weighted mean of its cells' placebo effects.
        AggregateEffect Interval(AggregateEffect influence, int[] members)
        {
            var att = influence.Att;
            Array.Clear(sums);
            Array.Clear(weightSums);
            foreach (var c in members)
            {
                var (column, w) = (placebo[c], weights[c]);
                for (var r = 0; r < Draws; r++)
                {
                    if (!double.IsNaN(column[r]))
                    {
                        sums[r] += w * column[r];
                        weightSums[r] += w;
                    }
                }
            }
            var n = 0;
            for (var r = 0; r < Draws; r++)
            {
                if (weightSums[r] > 0)
                {
                    errors[n++] = sums[r] / weightSums[r];
                }
            }
            if (n < Draws / 2)
            {
                return influence; // the cells seldom exist under other assignments (gaps in the data): nothing to compare with
            }
            var values = errors.AsSpan(0, n);
            var mean = 0.0;
            foreach (var e in values)
            {
                mean += e / n;
            }
            var squares = 0.0;
            foreach (var e in values)
            {
                squares += (e - mean) * (e - mean);
            }
            // The estimate minus its error's quantiles: the interval of the effect.
            var (low, high) = (Quantile(values, 0.025), Quantile(values, 0.975));
            return new AggregateEffect(att, Math.Sqrt(squares / (n - 1)), att - high, att - low);
        }
        var all = Enumerable.Range(0, cells.Count).ToArray();
        var post = all.Where(c => cells[c].Period >= cells[c].Group).ToArray();
        var pre = all.Where(c => cells[c].Period < cells[c].Group).ToArray();
        var simple = Interval(new AggregateEffect(estimate.Att, estimate.StandardError, estimate.CiLow, estimate.CiHigh), post);
        var groupTime = cells.Select((e, c) => Interval(new AggregateEffect(e.Att, e.StandardError, e.CiLow, e.CiHigh), [c]) is var a ? e with { StandardError = a.StandardError, CiLow = a.CiLow, CiHigh = a.CiHigh } : e).ToList();
        var eventStudy = estimate.EventStudy.Select(e => Interval(new AggregateEffect(e.Att, e.StandardError, e.CiLow, e.CiHigh), [.. all.Where(c => cells[c].EventTime == e.EventTime)]) is var a
            ? e with { StandardError = a.StandardError, CiLow = a.CiLow, CiHigh = a.CiHigh } : e).ToList();
        return estimate with
        {
            StandardError = simple.StandardError,
            CiLow = simple.CiLow,
            CiHigh = simple.CiHigh,
            GroupTime = groupTime,
            PreTrend = estimate.PreTrend is { } p ? Interval(p, pre) : null,
            EventStudy = eventStudy,
            Inference = Code,
            Method = estimate.Method.Split(", influence-function")[0]
                + $"; 95 % intervals by randomization inference: start weeks reassigned to branches at random {Draws} times, the estimate's effect taken out, the placebo estimates' 2.5 % and 97.5 % quantiles",
        };
    }

    /// <summary>Log of the number of distinct ways to hand the start weeks to the units (a multinomial coefficient).</summary>
    private static double LogAssignments(IEnumerable<int> starts)
    {
        var counts = starts.GroupBy(s => s).Select(g => g.Count()).ToList();
        return SpecialFunctions.GammaLn(counts.Sum() + 1) - counts.Sum(n => SpecialFunctions.GammaLn(n + 1));
    }

    /// <summary>
    /// The p-quantile, interpolated between order statistics (as R's type 7), by selection rather than a full sort:
    /// the sorts were most of the time over an answer's 170-odd intervals. Reorders <paramref name="values"/>.
    /// </summary>
    private static double Quantile(Span<double> values, double p)
    {
        var position = p * (values.Length - 1);
        var k = (int)Math.Floor(position);
        var at = Select(values, k);
        if (k + 1 >= values.Length)
        {
            return at;
        }
        var next = double.PositiveInfinity;
        foreach (var v in values[(k + 1)..])
        {
            next = Math.Min(next, v);
        }
        return at + (position - k) * (next - at);
    }

    /// <summary>Hoare's selection: puts the k-th smallest at k, smaller ones before it and larger after; returns it.</summary>
    private static double Select(Span<double> values, int k)
    {
        var (left, right) = (0, values.Length - 1);
        while (left < right)
        {
            var pivot = values[(left + right) / 2];
            var (i, j) = (left, right);
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }
                while (values[j] > pivot)
                {
                    j--;
                }
                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }
            if (k <= j)
            {
                right = j;
            }
            else if (k >= i)
            {
                left = i;
            }
            else
            {
                return values[k];
            }
        }
        return values[k];
    }
}
