using MathNet.Numerics.Distributions;

namespace BankClientele.Insights.Uplift;

/// <summary>A unit's outcome in a period; <see cref="FirstTreated"/> is the period its treatment starts, null if never.</summary>
public readonly record struct StaggeredObservation(string Unit, int Period, int? FirstTreated, double Outcome);

public enum ControlGroup
{
    /// <summary>Units never treated in the panel.</summary>
    NeverTreated,

    /// <summary>Units not yet treated by the later of the two periods compared (never-treated included).</summary>
    NotYetTreated,
}

public sealed record GroupTimeEffect(int Group, int Period, int BasePeriod, double Att, double StandardError, double CiLow, double CiHigh, int TreatedUnits, int ControlUnits)
{
    /// <summary>Periods since the group's start: negative before it (a pre-trend check), 0 at it.</summary>
    public int EventTime { get; init; }
}

public sealed record StaggeredEstimate(double Att, double StandardError, double CiLow, double CiHigh, IReadOnlyList<GroupTimeEffect> GroupTime, int Units, string Method)
{
    /// <summary>
    /// The pre-period effects (t &lt; g) aggregated as the simple aggregate aggregates the post-period
    /// ones: with parallel trends its interval covers 0. Null when no pre-period effect was estimable.
    /// </summary>
    public AggregateEffect? PreTrend { get; init; }

    /// <summary>Effects by periods since the start (event study), group-size weighted, pre-periods included.</summary>
    public IReadOnlyList<EventTimeEffect> EventStudy { get; init; } = [];

    /// <summary>How the intervals were drawn: <c>influence-function</c> here, <c>randomization</c> after <see cref="RandomizationInference"/>.</summary>
    public string Inference { get; init; } = "influence-function";
}

public sealed record AggregateEffect(double Att, double StandardError, double CiLow, double CiHigh);

public sealed record EventTimeEffect(int EventTime, double Att, double StandardError, double CiLow, double CiHigh);

/// <summary>
/// Callaway &amp; Sant'Anna (2021) group-time average treatment effects for staggered adoption,
/// unconditional on covariates: ATT(g, t) = E[Y_t − Y_b | G = g] − E[Y_t − Y_b | control], with the
/// base b the period before g for t ≥ g and the period before t for t &lt; g ("varying" base, so
/// the pre-period effects are a pre-trend check). Each unit is compared only with units at the same
/// two periods, which avoids the forbidden comparisons of a two-way fixed-effects regression.
/// Standard errors from the influence functions; the simple aggregate weights each post-treatment
/// ATT(g, t) by its group's size (the weights are taken as fixed, which slightly understates its
/// standard error compared with the did package's analytic version).
/// </summary>
public static class CallawaySantAnna
{
    public static StaggeredEstimate Estimate(IReadOnlyList<StaggeredObservation> observations, ControlGroup control)
    {
        var periods = observations.Select(o => o.Period).Distinct().Order().ToArray();
        if (periods.Length < 2)
        {
            throw new ArgumentException("A staggered comparison needs at least two periods.", nameof(observations));
        }
        var unitIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var firstTreated = new List<int?>();
        foreach (var o in observations)
        {
            if (!unitIds.TryGetValue(o.Unit, out var index))
            {
                unitIds[o.Unit] = firstTreated.Count;
                firstTreated.Add(o.FirstTreated);
            }
            else if (firstTreated[index] != o.FirstTreated)
            {
                throw new ArgumentException($"Unit {o.Unit} has two different first-treated periods.", nameof(observations));
            }
        }
        var units = firstTreated.Count;
        var periodIndex = periods.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i);
        var outcome = new double[units, periods.Length];
        var seen = new bool[units, periods.Length];
        foreach (var o in observations)
        {
            var (u, t) = (unitIds[o.Unit], periodIndex[o.Period]);
            outcome[u, t] = o.Outcome;
            seen[u, t] = true;
        }
        // Units treated from the first period on have no pre-period: they cannot be compared.
        var groups = firstTreated.Where(g => g is not null && g > periods[0]).Select(g => g!.Value).Distinct().Order().ToArray();
        if (groups.Length == 0)
        {
            throw new ArgumentException("No unit starts treatment after the first period.", nameof(observations));
        }
        var effects = new List<GroupTimeEffect>();
        var influence = new List<double[]>();
        foreach (var g in groups)
        {
            // The group's base: the last observed period before g.
            var gIndex = Array.FindLastIndex(periods, p => p < g);
            for (var t = 1; t < periods.Length; t++)
            {
                var b = periods[t] >= g ? gIndex : t - 1;
                var later = Math.Max(periods[t], periods[b]);
                var treatedDiffs = new List<(int Unit, double Diff)>();
                var controlDiffs = new List<(int Unit, double Diff)>();
                for (var u = 0; u < units; u++)
                {
                    if (!seen[u, t] || !seen[u, b])
                    {
                        continue;
                    }
                    var diff = outcome[u, t] - outcome[u, b];
                    var ug = firstTreated[u];
                    if (ug == g)
                    {
                        treatedDiffs.Add((u, diff));
                    }
                    else if (ug is null || (control == ControlGroup.NotYetTreated && ug > later))
                    {
                        controlDiffs.Add((u, diff));
                    }
                }
                if (treatedDiffs.Count == 0 || controlDiffs.Count == 0)
                {
                    continue;
                }
                var meanTreated = treatedDiffs.Average(d => d.Diff);
                var meanControl = controlDiffs.Average(d => d.Diff);
                var psi = new double[units];
                foreach (var (u, d) in treatedDiffs)
                {
                    psi[u] = units / (double)treatedDiffs.Count * (d - meanTreated);
                }
                foreach (var (u, d) in controlDiffs)
                {
                    psi[u] = -units / (double)controlDiffs.Count * (d - meanControl);
                }
                var se = StandardError(psi);
                var att = meanTreated - meanControl;
                effects.Add(new GroupTimeEffect(g, periods[t], periods[b], att, se, att - 1.96 * se, att + 1.96 * se, treatedDiffs.Count, controlDiffs.Count)
                {
                    EventTime = t - Array.IndexOf(periods, periods.First(p => p >= g)),
                });
                influence.Add(psi);
            }
        }
        var post = effects.Select((e, i) => (e, i)).Where(x => x.e.Period >= x.e.Group).ToList();
        if (post.Count == 0)
        {
            throw new ArgumentException("No group-time effect after a treatment start could be estimated (no comparable controls?).", nameof(observations));
        }
        var size = firstTreated.GroupBy(g => g).ToDictionary(x => x.Key ?? int.MinValue, x => (double)x.Count());
        var z = Normal.InvCDF(0, 1, 0.975);
        // Group-size weighted mean of some ATT(g, t), its influence function the same mean of theirs.
        AggregateEffect Aggregate(List<(GroupTimeEffect e, int i)> cells)
        {
            var totalWeight = cells.Sum(x => size[x.e.Group]);
            var att = 0.0;
            var psi = new double[units];
            foreach (var (e, i) in cells)
            {
                var w = size[e.Group] / totalWeight;
                att += w * e.Att;
                for (var u = 0; u < units; u++)
                {
                    psi[u] += w * influence[i][u];
                }
            }
            var se = StandardError(psi);
            return new AggregateEffect(att, se, att - z * se, att + z * se);
        }
        var simple = Aggregate(post);
        var pre = effects.Select((e, i) => (e, i)).Where(x => x.e.Period < x.e.Group).ToList();
        var eventStudy = effects.Select((e, i) => (e, i)).GroupBy(x => x.e.EventTime).OrderBy(g => g.Key)
            .Select(g => Aggregate([.. g]) is var a ? new EventTimeEffect(g.Key, a.Att, a.StandardError, a.CiLow, a.CiHigh) : null!)
            .ToList();
        var method = $"Callaway-Sant'Anna group-time ATT, {(control == ControlGroup.NeverTreated ? "never-treated" : "not-yet-treated")} controls, varying base period, influence-function standard errors (simple aggregate: group-size weights taken as fixed)";
        return new StaggeredEstimate(simple.Att, simple.StandardError, simple.CiLow, simple.CiHigh, effects, units, method)
        {
            PreTrend = pre.Count > 0 ? Aggregate(pre) : null,
            EventStudy = eventStudy,
        };
    }

    private static double StandardError(double[] psi)
    {
        var sum = 0.0;
        foreach (var v in psi)
        {
            sum += v * v;
        }
        return Math.Sqrt(sum) / psi.Length;
    }
}
