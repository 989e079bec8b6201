using MathNet.Numerics.Distributions;

namespace BankClientele.Cli.Seed;

/// <summary>
/// How each demo customer brings money in, so that Insights' segmentation meets customers who differ:
/// regular savers, occasional ones, and customers who stopped bringing money in months ago. The story
/// is the BG/NBD one the segmentation fits (Fader, Hardie &amp; Lee 2005), with these parameters built
/// in: a customer's inflows arrive at a weekly rate λ ~ Gamma(<see cref="R"/>, <see cref="Alpha"/>), and
/// after each inflow they stop for good with probability p ~ Beta(<see cref="A"/>, <see cref="B"/>). Each
/// inflow is a Gamma amount around the customer's own typical amount; the customer then spends it down
/// (<see cref="DailySpending"/> of what is left each day without an inflow), so balances rise only on
/// inflow days and return to the planned level between them: a branch's average deposit has no trend
/// of its own, and the built-in campaign and lobby effects (<see cref="DemoEffects"/>) stay what they are.
/// Drawn from a generator of its own per customer, seeded by the index alone: the same on every run,
/// and unrelated to who is in a campaign's audience or invited to a lobby event.
/// </summary>
public static class DemoInflows
{
    /// <summary>Gamma shape and rate (per week) of the customers' inflow rates: mean 0.36 a week, most customers far below or above.</summary>
    public const double R = 0.9;
    public const double Alpha = 2.5;

    /// <summary>Beta parameters of the probability of stopping after an inflow (mean 0.023).</summary>
    public const double A = 0.7;
    public const double B = 30;

    /// <summary>Share of the money brought in that is spent (withdrawn) each day without an inflow.</summary>
    public const decimal DailySpending = 0.2m;

    /// <summary>Median and spread (log-normal) of a customer's typical inflow, yuan; bounded.</summary>
    private const double TypicalMedian = 2_500;
    private const double TypicalSpread = 1.0;
    private const double TypicalMin = 200;
    private const double TypicalMax = 30_000;

    /// <summary>Gamma shape of one inflow around the customer's typical amount (coefficient of variation 0.5).</summary>
    private const double AmountShape = 4;

    /// <summary>A customer's inflows from <c>start</c> (their first balance day, itself not an inflow) to the day before <c>end</c>.</summary>
    public sealed record CustomerInflows(double WeeklyRate, double StopProbability, decimal Typical, decimal Opening, IReadOnlyDictionary<DateOnly, decimal> Inflows)
    {
        /// <summary>The day of the last inflow (null: none).</summary>
        public DateOnly? Last => Inflows.Count == 0 ? null : Inflows.Keys.Max();
    }

    /// <summary>
    /// Customer <paramref name="index"/>'s inflows between <paramref name="start"/> and <paramref name="end"/>. A customer known
    /// from before <paramref name="start"/> (<paramref name="established"/>) opens with the money in hand a customer of their rate
    /// usually has; a new one with none.
    /// </summary>
    public static CustomerInflows For(int index, DateOnly start, DateOnly end, bool established)
    {
        var random = new Random(DemoNetwork.RandomSeed ^ (index * 69_069) ^ 0x1F1F1F);
        var rate = Math.Max(1e-6, Gamma.Sample(random, R, Alpha));
        var stop = Beta.Sample(random, A, B);
        var typical = Math.Clamp(TypicalMedian * Math.Exp(TypicalSpread * Normal.Sample(random, 0, 1)), TypicalMin, TypicalMax);
        var inflows = new Dictionary<DateOnly, decimal>();
        var weeks = 0.0;
        while (true)
        {
            weeks += Exponential.Sample(random, rate);
            var day = start.AddDays((int)Math.Min(weeks * 7, end.DayNumber - start.DayNumber));
            if (day >= end)
            {
                break;
            }
            var amount = decimal.Round((decimal)Gamma.Sample(random, AmountShape, AmountShape / typical), 2);
            if (day > start && amount > 0)
            {
                inflows[day] = inflows.GetValueOrDefault(day) + amount;
            }
            if (random.NextDouble() < stop)
            {
                break;
            }
        }
        // The steady state of inflows at this rate spent down at DailySpending: money a regular customer has in hand.
        var opening = established ? decimal.Round((decimal)(typical * rate / 7) / DailySpending, 2) : 0m;
        return new CustomerInflows(rate, stop, decimal.Round((decimal)typical, 2), opening, inflows);
    }
}
