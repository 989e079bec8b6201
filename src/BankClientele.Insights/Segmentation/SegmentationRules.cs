namespace BankClientele.Insights.Segmentation;

/// <summary>Lifecycle stages (the values travel in CustomerSegmentChanged, so they never change).</summary>
public static class LifecycleStages
{
    public const string Acquire = "Acquire";
    public const string Activate = "Activate";
    public const string Retain = "Retain";

    /// <summary>Win back: the customer is lapsing or gone.</summary>
    public const string Convert = "Convert";
}

/// <summary>
/// RFM quintiles. Each measure is scored 1–5 (5 best) by the share of customers strictly worse
/// on it: score = 1 + ⌊5 · worse / n⌋. Ties share a score, so the scores are deterministic and a
/// customer's score moves only when their own standing moves.
/// </summary>
public static class RfmScoring
{
    /// <summary>Scores where a larger value is better (frequency, monetary).</summary>
    public static byte[] QuintilesHigherIsBetter(ReadOnlySpan<double> values)
    {
        var n = values.Length;
        var scores = new byte[n];
        if (n == 0)
        {
            return scores;
        }
        var order = new int[n];
        var sorted = values.ToArray();
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }
        Array.Sort(sorted, order);
        var worse = 0;
        for (var i = 0; i < n;)
        {
            var j = i;
            while (j < n && sorted[j] == sorted[i])
            {
                j++;
            }
            var score = (byte)(1 + Math.Min(4, (int)(5L * worse / n)));
            for (var k = i; k < j; k++)
            {
                scores[order[k]] = score;
            }
            worse = j;
            i = j;
        }
        return scores;
    }

    /// <summary>Scores where a smaller value is better (recency: days since the last transaction).</summary>
    public static byte[] QuintilesLowerIsBetter(ReadOnlySpan<double> values)
    {
        var negated = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            negated[i] = -values[i];
        }
        return QuintilesHigherIsBetter(negated);
    }

    /// <summary>The three digits, e.g. "545".</summary>
    public static string Cell(byte recency, byte frequency, byte monetary) =>
        string.Create(3, (recency, frequency, monetary), (span, s) =>
        {
            span[0] = (char)('0' + s.recency);
            span[1] = (char)('0' + s.frequency);
            span[2] = (char)('0' + s.monetary);
        });
}

/// <summary>What the lifecycle rules read of a customer.</summary>
/// <param name="TenureDays">Days since the customer's first transaction (their first balance or account).</param>
/// <param name="RepeatTransactions">Transactions after the first in the lookback window.</param>
/// <param name="DaysSinceLastTransaction">Days since the last transaction (the first one if there were no repeats).</param>
/// <param name="ProbabilityAlive">P(alive) from the repeat-transaction model.</param>
/// <param name="Assets">Latest deposit + wealth balance (yuan).</param>
public readonly record struct LifecycleFacts(int TenureDays, int RepeatTransactions, int DaysSinceLastTransaction, double ProbabilityAlive, decimal Assets);

/// <summary>
/// The lifecycle stage by rules applied in this order (first match wins):
/// <list type="number">
/// <item><b>Acquire</b>: tenure under <see cref="SegmentationOptions.NewCustomerDays"/> (90) days: still being onboarded.</item>
/// <item><b>Convert</b> (win back): P(alive) under <see cref="SegmentationOptions.LapsedProbabilityAlive"/> (0.3), or no
/// transaction for <see cref="SegmentationOptions.LapsedDays"/> (180) days, or no assets left.</item>
/// <item><b>Activate</b>: fewer than <see cref="SegmentationOptions.ActiveRepeatTransactions"/> (2) repeat transactions: a
/// customer who came but has not started using the bank.</item>
/// <item><b>Retain</b>: everyone else (active, repeat customers).</item>
/// </list>
/// </summary>
public static class LifecycleRules
{
    public static string Stage(LifecycleFacts facts, SegmentationOptions options)
    {
        if (facts.TenureDays < options.NewCustomerDays)
        {
            return LifecycleStages.Acquire;
        }
        if (facts.ProbabilityAlive < options.LapsedProbabilityAlive || facts.DaysSinceLastTransaction >= options.LapsedDays || facts.Assets <= 0)
        {
            return LifecycleStages.Convert;
        }
        if (facts.RepeatTransactions < options.ActiveRepeatTransactions)
        {
            return LifecycleStages.Activate;
        }
        return LifecycleStages.Retain;
    }
}

/// <summary>The value segment: the CLV band a customer falls in (bounds in yuan, configurable).</summary>
public static class ValueSegments
{
    public const string High = "High";
    public const string Medium = "Medium";
    public const string Low = "Low";
    public const string Minimal = "Minimal";

    public static readonly IReadOnlyList<string> All = [High, Medium, Low, Minimal];

    public static string Of(double clv, SegmentationOptions options) =>
        clv >= options.HighValueFrom ? High
        : clv >= options.MediumValueFrom ? Medium
        : clv >= options.LowValueFrom ? Low
        : Minimal;
}
