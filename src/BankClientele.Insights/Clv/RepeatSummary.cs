using System.Numerics;

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
        // Grouped through an open-addressing table on the triple's bits (a record-keyed dictionary spent
        // more on hashing a million customers than the whole fit on their triples), in order of first
        // appearance as before, so the sums come out the same.
        var (frequencies, recencies, ages) = customers;
        var slots = new int[4096];
        var (x, tx, t, count) = (new int[1024], new double[1024], new double[1024], new int[1024]);
        var n = 0;
        for (var c = 0; c < frequencies.Length; c++)
        {
            // t_x does not enter the likelihood of a customer without repeats; + 0.0 makes −0 and 0 one key.
            var key = (X: frequencies[c], Tx: frequencies[c] == 0 ? 0 : recencies[c] + 0.0, T: ages[c] + 0.0);
            var mask = slots.Length - 1;
            var slot = (int)(TripleHash(key.X, key.Tx, key.T) & (uint)mask);
            while (slots[slot] != 0 && !(x[slots[slot] - 1] == key.X && tx[slots[slot] - 1].Equals(key.Tx) && t[slots[slot] - 1].Equals(key.T)))
            {
                slot = (slot + 1) & mask;
            }
            if (slots[slot] != 0)
            {
                count[slots[slot] - 1]++;
                continue;
            }
            if (n == x.Length)
            {
                (x, tx, t, count) = (Grown(x), Grown(tx), Grown(t), Grown(count));
            }
            (x[n], tx[n], t[n], count[n]) = (key.X, key.Tx, key.T, 1);
            slots[slot] = ++n;
            if (n * 2 > slots.Length)
            {
                slots = Rehashed(slots.Length * 2, n, x, tx, t);
            }
        }
        Frequency = x[..n];
        Recency = tx[..n];
        Age = t[..n];
        Weight = new double[n];
        for (var i = 0; i < n; i++)
        {
            Weight[i] = count[i];
            Customers += count[i];
            MaxFrequency = Math.Max(MaxFrequency, x[i]);
        }
        (DistinctAges, AgeIndex) = Distinct(Age);
        (DistinctRecencies, RecencyIndex) = Distinct(Recency);
    }

    private static T[] Grown<T>(T[] array)
    {
        Array.Resize(ref array, array.Length * 2);
        return array;
    }

    private static uint TripleHash(int x, double tx, double t)
    {
        var h = ((ulong)BitConverter.DoubleToInt64Bits(tx) * 0x9E3779B97F4A7C15UL) ^ ((ulong)BitConverter.DoubleToInt64Bits(t) * 0xC2B2AE3D27D4EB4FUL) ^ ((ulong)(uint)x * 0x165667B19E3779F9UL);
        return (uint)((h ^ (h >> 29) ^ (h >> 47)) >> 1);
    }

    private static int[] Rehashed(int size, int n, int[] x, double[] tx, double[] t)
    {
        var slots = new int[size];
        var mask = size - 1;
        for (var i = 0; i < n; i++)
        {
            var slot = (int)(TripleHash(x[i], tx[i], t[i]) & (uint)mask);
            while (slots[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }
            slots[slot] = i + 1;
        }
        return slots;
    }

    /// <summary>
    /// The distinct values of a column and each row's index into them: T and t_x take a few hundred
    /// values (days of a year) over hundreds of thousands of triples, so ln(α + T) is computed per value.
    /// </summary>
    private static (double[] Values, int[] Index) Distinct(double[] column)
    {
        var positions = new Dictionary<double, int>();
        var index = new int[column.Length];
        // Runs of one value are common (triples of one customer base share T): the last value is tried first.
        var (last, lastK) = (double.NaN, -1);
        for (var i = 0; i < column.Length; i++)
        {
            if (lastK < 0 || !column[i].Equals(last))
            {
                if (!positions.TryGetValue(column[i], out lastK))
                {
                    positions.Add(column[i], lastK = positions.Count);
                }
                last = column[i];
            }
            index[i] = lastK;
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
