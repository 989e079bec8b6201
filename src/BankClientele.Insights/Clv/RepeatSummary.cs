using System.Numerics;
using System.Runtime.CompilerServices;

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
        : this(Grouped(customers))
    {
    }

    public FrequencyRecencyData(CustomerSummaries customers)
        : this(Grouped(customers))
    {
    }

    /// <summary>The summaries' triples counted; t_x does not enter the likelihood of a customer without repeats.</summary>
    private static (int[] X, double[] Tx, double[] T, int[] Count) Grouped(IEnumerable<RepeatSummary> customers)
    {
        var triples = new FirstAppearanceCounter<Triple>();
        foreach (var c in customers)
        {
            if (c.Frequency < 0 || c.Recency < 0 || c.Age < c.Recency || !double.IsFinite(c.Age))
            {
                throw new ArgumentException($"Customer {c.CustomerId}: frequency {c.Frequency}, recency {c.Recency}, age {c.Age} is not a valid summary (0 ≤ t_x ≤ T).", nameof(customers));
            }
            // + 0.0 makes −0 and 0 one key.
            triples.Add(new Triple(c.Frequency, c.Frequency == 0 ? 0 : c.Recency + 0.0, c.Age + 0.0));
        }
        return Columns(triples);
    }

    /// <summary>The counted triples as columns, in order of first appearance.</summary>
    private static (int[] X, double[] Tx, double[] T, int[] Count) Columns(FirstAppearanceCounter<Triple> triples)
    {
        var n = triples.Count;
        var (xs, txs, ts, counts) = (new int[n], new double[n], new double[n], new int[n]);
        for (var i = 0; i < n; i++)
        {
            ((xs[i], txs[i], ts[i]), counts[i]) = triples[i];
        }
        return (xs, txs, ts, counts);
    }

    /// <summary>
    /// A log's summaries counted by their triples in whole days (the same triples in the same order as
    /// their times in the model's unit, which divide the days by one constant), read from the days the
    /// reader folded: no column per customer. One core: counted on two, each with its own table, the
    /// tables cost more memory (and page faults) than the cores save.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (int[] X, double[] Tx, double[] T, int[] Count) Grouped(CustomerSummaries customers)
    {
        // Sized for a few customers a triple, so that the table is not rebuilt as it fills.
        var triples = new FirstAppearanceCounter<DayTriple>(customers.Count / 4);
        var endDay = customers.EndDay;
        foreach (var part in customers.Parts)
        {
            var (days, from, to) = (part.Days, part.Skip, part.Count);
            for (var k = from; k < to; k++)
            {
                ref readonly var d = ref days[k];
                if (d.Days > 0)
                {
                    triples.Add(new DayTriple(d.Repeats, d.Repeats == 0 ? 0 : d.Last - d.First, endDay - d.First));
                }
            }
        }
        var n = triples.Count;
        var (xs, txs, ts, counts) = (new int[n], new double[n], new double[n], new int[n]);
        for (var i = 0; i < n; i++)
        {
            var ((x, tx, t), count) = triples[i];
            (xs[i], txs[i], ts[i], counts[i]) = (x, tx / customers.DaysPerUnit, t / customers.DaysPerUnit, count);
        }
        return (xs, txs, ts, counts);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private FrequencyRecencyData((int[] X, double[] Tx, double[] T, int[] Count) triples)
    {
        var (x, tx, t, count) = triples;
        var n = x.Length;
        Frequency = x;
        Recency = tx;
        Age = t;
        Weight = new double[n];
        for (var i = 0; i < n; i++)
        {
            Weight[i] = count[i];
            Customers += count[i];
            MaxFrequency = Math.Max(MaxFrequency, x[i]);
        }
        WeightByFrequency = new double[MaxFrequency + 1];
        for (var i = 0; i < n; i++)
        {
            WeightByFrequency[x[i]] += count[i];
        }
        (DistinctAges, AgeIndex) = Distinct(Age);
        (DistinctRecencies, RecencyIndex) = Distinct(Recency);
    }

    /// <summary>
    /// The distinct values of a column and each row's index into them: T and t_x take a few hundred
    /// values (days of a year) over hundreds of thousands of triples, so ln(α + T) is computed per value.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double[] Values, int[] Index) Distinct(double[] column)
    {
        var values = new FirstAppearanceCounter<ColumnValue>();
        var index = new int[column.Length];
        for (var i = 0; i < column.Length; i++)
        {
            index[i] = values.Add(new ColumnValue(column[i]));
        }
        var distinct = new double[values.Count];
        for (var k = 0; k < distinct.Length; k++)
        {
            distinct[k] = values[k].Key.Value;
        }
        return (distinct, index);
    }

    /// <summary>
    /// The same customers with t_x and T rounded to <paramref name="bins"/> steps of the longest T and grouped
    /// again: thousands of triples instead of hundreds of thousands, whose likelihood peaks near the exact one.
    /// A starting point for a fit, never a fit.
    /// </summary>
    internal FrequencyRecencyData Coarsened(int bins)
    {
        var step = DistinctAges.Max() / bins;
        if (step <= 0)
        {
            return this;
        }
        var triples = new FirstAppearanceCounter<Triple>(bins * bins);
        for (var i = 0; i < Count; i++)
        {
            // Both rounded on one grid, so t_x ≤ T still holds.
            var t = Math.Round(Age[i] / step) * step;
            var tx = Frequency[i] == 0 ? 0 : Math.Round(Recency[i] / step) * step;
            triples.Add(new Triple(Frequency[i], tx + 0.0, t + 0.0), (int)Weight[i]);
        }
        return new FrequencyRecencyData(Columns(triples));
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

    /// <summary>The customers of each frequency x, for the terms of x alone.</summary>
    public double[] WeightByFrequency { get; }

    public int MaxFrequency { get; }

    public int Count => Frequency.Length;
}

/// <summary>
/// Keys numbered and counted in order of first appearance through an open-addressing table (a
/// dictionary keyed by records spent more on hashing a million customers than the whole fit on their
/// triples). A key's slot holds its count and number, so that adding a key seen before touches one
/// place in memory: over a million customers, the cache misses are the cost.
/// </summary>
internal sealed class FirstAppearanceCounter<TKey>(int capacity = 1024)
    where TKey : struct, IEquatable<TKey>, IHashedKey<TKey>
{
    private struct Slot
    {
        public TKey Key;
        public int Count;
        public int Number; // the key's number + 1; 0 is empty
    }

    // Kept at most half full.
    private Slot[] slots = new Slot[BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, capacity) * 2)];

    // Each key's slot, by number.
    private int[] slotOf = new int[Math.Max(16, capacity)];

    public int Count { get; private set; }

    /// <summary>Adds <paramref name="count"/> to the key's count and returns its number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Add(in TKey key, int count = 1)
    {
        var mask = slots.Length - 1;
        var at = TKey.Hash(key) & mask;
        while (slots[at].Number != 0)
        {
            ref var slot = ref slots[at];
            if (slot.Key.Equals(key))
            {
                slot.Count += count;
                return slot.Number - 1;
            }
            at = (at + 1) & mask;
        }
        if (Count == slotOf.Length)
        {
            Array.Resize(ref slotOf, Count * 2);
        }
        slots[at] = new Slot { Key = key, Count = count, Number = Count + 1 };
        slotOf[Count] = at;
        Count++;
        if (Count * 2 > slots.Length)
        {
            Rehash();
        }
        return Count - 1;
    }

    /// <summary>The keys and their counts in order of first appearance.</summary>
    public (TKey Key, int Count) this[int number] => (slots[slotOf[number]].Key, slots[slotOf[number]].Count);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Rehash()
    {
        var old = slots;
        slots = new Slot[old.Length * 2];
        var mask = slots.Length - 1;
        for (var number = 0; number < Count; number++)
        {
            ref readonly var slot = ref old[slotOf[number]];
            var at = TKey.Hash(slot.Key) & mask;
            while (slots[at].Number != 0)
            {
                at = (at + 1) & mask;
            }
            slots[at] = slot;
            slotOf[number] = at;
        }
    }
}

/// <summary>A key that hashes itself (to a non-negative int), for <see cref="FirstAppearanceCounter{TKey}"/>.</summary>
internal interface IHashedKey<TKey>
{
    static abstract int Hash(in TKey key);
}

/// <summary>A customer's (x, t_x, T) with the times as read (t_x = 0 for x = 0).</summary>
internal readonly record struct Triple(int X, double Tx, double T) : IHashedKey<Triple>
{
    public static int Hash(in Triple key)
    {
        var h = ((ulong)BitConverter.DoubleToInt64Bits(key.Tx) * 0x9E3779B97F4A7C15UL) ^ ((ulong)BitConverter.DoubleToInt64Bits(key.T) * 0xC2B2AE3D27D4EB4FUL) ^ ((ulong)(uint)key.X * 0x165667B19E3779F9UL);
        return (int)((h ^ (h >> 29) ^ (h >> 47)) >> 33);
    }
}

/// <summary>A customer's (x, t_x, T) in whole days (t_x = 0 for x = 0).</summary>
internal readonly record struct DayTriple(int X, int TxDays, int TDays) : IHashedKey<DayTriple>
{
    public static int Hash(in DayTriple key)
    {
        var h = (uint)key.X * 0x9E3779B1u ^ (uint)key.TxDays * 0x85EBCA77u ^ (uint)key.TDays * 0xC2B2AE3Du;
        return (int)((h ^ (h >> 15)) & 0x7fffffff);
    }
}

/// <summary>A value of a column, for its distinct values.</summary>
internal readonly record struct ColumnValue(double Value) : IHashedKey<ColumnValue>
{
    public static int Hash(in ColumnValue key)
    {
        var h = (ulong)BitConverter.DoubleToInt64Bits(key.Value) * 0x9E3779B97F4A7C15UL;
        return (int)(h >> 33);
    }
}
