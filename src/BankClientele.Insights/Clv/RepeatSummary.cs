using System.Runtime.InteropServices;

namespace BankClientele.Insights.Clv;

/// <summary>
/// One customer's calibration-period summary, as the BG/NBD, Pareto/NBD and Gamma-Gamma models
/// read it: <see cref="Frequency"/> repeat transactions (after the first), the time of the last one
/// <see cref="Recency"/> (t_x) and the length of observation <see cref="Age"/> (T), both measured from
/// the first transaction in the model's time unit, and <see cref="MonetaryValue"/>, the mean value of
/// the repeat transactions (0 when there are none).
/// </summary>
public readonly record struct RepeatSummary(string CustomerId, int Frequency, double Recency, double Age, double MonetaryValue);

/// <summary>
/// The summaries grouped by identical (x, t_x, T), so that a likelihood is evaluated once per
/// distinct triple with a weight: a million customers observed at day resolution collapse to far
/// fewer terms.
/// </summary>
public sealed class FrequencyRecencyData
{
    public FrequencyRecencyData(IEnumerable<RepeatSummary> customers)
        : this(Columns(customers))
    {
    }

    public FrequencyRecencyData(CustomerSummaries customers)
        : this((customers.Frequency, customers.Recency, customers.Age))
    {
    }

    private static (int[], double[], double[]) Columns(IEnumerable<RepeatSummary> customers)
    {
        var list = customers as IReadOnlyCollection<RepeatSummary> ?? [.. customers];
        var (frequency, recency, age) = (new int[list.Count], new double[list.Count], new double[list.Count]);
        var i = 0;
        foreach (var c in list)
        {
            if (c.Frequency < 0 || c.Recency < 0 || c.Age < c.Recency || !double.IsFinite(c.Age))
            {
                throw new ArgumentException($"Customer {c.CustomerId}: frequency {c.Frequency}, recency {c.Recency}, age {c.Age} is not a valid summary (0 ≤ t_x ≤ T).", nameof(customers));
            }
            (frequency[i], recency[i], age[i]) = (c.Frequency, c.Recency, c.Age);
            i++;
        }
        return (frequency, recency, age);
    }

    private FrequencyRecencyData((int[] Frequency, double[] Recency, double[] Age) customers)
    {
        var groups = new Dictionary<Triple, int>();
        for (var c = 0; c < customers.Frequency.Length; c++)
        {
            // t_x does not enter the likelihood of a customer without repeats.
            var x = customers.Frequency[c];
            ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(groups, new Triple(x, x == 0 ? 0 : customers.Recency[c], customers.Age[c]), out _);
            count++;
        }
        var n = groups.Count;
        Frequency = new int[n];
        Recency = new double[n];
        Age = new double[n];
        Weight = new double[n];
        var i = 0;
        foreach (var ((x, tx, t), count) in groups)
        {
            Frequency[i] = x;
            Recency[i] = tx;
            Age[i] = t;
            Weight[i] = count;
            Customers += count;
            MaxFrequency = Math.Max(MaxFrequency, x);
            i++;
        }
        (DistinctAges, AgeIndex) = Distinct(Age);
        (DistinctRecencies, RecencyIndex) = Distinct(Recency);
    }

    private readonly record struct Triple(int Frequency, double Recency, double Age);

    /// <summary>
    /// The distinct values of a column and each row's index into them: T and t_x take a few hundred
    /// values (days of a year) over hundreds of thousands of triples, so ln(α + T) is computed per value.
    /// </summary>
    private static (double[] Values, int[] Index) Distinct(double[] column)
    {
        var positions = new Dictionary<double, int>();
        var index = new int[column.Length];
        for (var i = 0; i < column.Length; i++)
        {
            if (!positions.TryGetValue(column[i], out var k))
            {
                positions.Add(column[i], k = positions.Count);
            }
            index[i] = k;
        }
        var values = new double[positions.Count];
        foreach (var (value, k) in positions)
        {
            values[k] = value;
        }
        return (values, index);
    }

    /// <summary>The distinct T of the triples; <see cref="AgeIndex"/>[i] is triple i's.</summary>
    public double[] DistinctAges { get; }

    public int[] AgeIndex { get; }

    /// <summary>The distinct t_x of the triples; <see cref="RecencyIndex"/>[i] is triple i's.</summary>
    public double[] DistinctRecencies { get; }

    public int[] RecencyIndex { get; }

    public int[] Frequency { get; }

    public double[] Recency { get; }

    public double[] Age { get; }

    public double[] Weight { get; }

    public int Customers { get; }

    public int MaxFrequency { get; }

    public int Count => Frequency.Length;
}
