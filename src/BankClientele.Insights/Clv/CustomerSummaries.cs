using System.Runtime.CompilerServices;
using System.Text;

namespace BankClientele.Insights.Clv;

/// <summary>
/// One customer's transaction days up to the calibration end, folded as its rows arrive: the first
/// and last day, the number of distinct days, the value spent on the first day and on the others.
/// Rows must come in day order (as a log grouped by customer or sorted by date gives them); a row
/// earlier than the last day seen sets <see cref="OutOfOrder"/>, and that customer is summarised
/// again from its rows. The one definition of a repeat summary: the file reader folds rows into it as
/// it parses, <see cref="TransactionLog.Summarise"/> folds each customer's sorted days.
/// </summary>
internal struct CustomerDays
{
    // The doubles first: 32 bytes a customer rather than 40, a million customers' worth of memory touched less.
    public double FirstDayValue;
    public double RepeatValue;
    public int First;
    public int Last;

    /// <summary>Distinct days, the first included; 0 while no row on or before the calibration end was seen.</summary>
    public int Days;

    public bool OutOfOrder;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int day, double value)
    {
        if (Days == 0)
        {
            (First, Last, Days, FirstDayValue) = (day, day, 1, value);
        }
        else if (day == Last)
        {
            // Another purchase the same day: one transaction, values summed.
            if (Days == 1)
            {
                FirstDayValue += value;
            }
            else
            {
                RepeatValue += value;
            }
        }
        else if (day > Last)
        {
            (Last, Days) = (day, Days + 1);
            RepeatValue += value;
        }
        else
        {
            OutOfOrder = true;
        }
    }

    /// <summary>Appends the days of the same customer read from a later part of the file.</summary>
    public void Append(in CustomerDays later)
    {
        OutOfOrder |= later.OutOfOrder;
        if (later.Days == 0)
        {
            return;
        }
        if (Days == 0)
        {
            var outOfOrder = OutOfOrder;
            this = later;
            OutOfOrder = outOfOrder;
            return;
        }
        if (later.First < Last)
        {
            OutOfOrder = true;
            return;
        }
        if (later.First == Last && Days == 1)
        {
            FirstDayValue += later.FirstDayValue;
        }
        else
        {
            RepeatValue += later.FirstDayValue;
        }
        RepeatValue += later.RepeatValue;
        Days += later.Days - (later.First == Last ? 1 : 0);
        Last = later.Last;
    }

    public readonly int Repeats => Days - 1;

    public readonly double MeanRepeatValue => Days > 1 ? RepeatValue / (Days - 1) : 0;
}

/// <summary>
/// Customers <see cref="Skip"/>..<see cref="Count"/> − 1 of <see cref="Days"/>, numbered from
/// <see cref="FirstCustomer"/> (the skipped ones continue the previous part's last customer).
/// </summary>
internal sealed record CustomerDaysPart(CustomerDays[] Days, int Count, int Skip, int FirstCustomer)
{
    public int Customer(int k) => FirstCustomer + k - Skip;
}

/// <summary>
/// The repeat-transaction summaries of a log's customers (see <see cref="RepeatSummary"/>) in order of
/// first appearance, kept as the days the reader folded them into, part by part: what the fits read,
/// with no record, string or column per customer (ids are decoded only when asked for, e.g. to write
/// predictions). A customer first seen after the calibration end is read but has no summary.
/// </summary>
public sealed class CustomerSummaries
{
    private readonly CustomerIds ids;

    internal CustomerSummaries(CustomerIds ids, IReadOnlyList<CustomerDaysPart> parts, int count, long transactions, int endDay, double daysPerUnit)
    {
        (this.ids, Parts, Count, Transactions, EndDay, DaysPerUnit) = (ids, parts, count, transactions, endDay, daysPerUnit);
    }

    /// <summary>The customers' days: a customer's summary is read from its <see cref="CustomerDays"/> where <see cref="CustomerDays.Days"/> &gt; 0.</summary>
    internal IReadOnlyList<CustomerDaysPart> Parts { get; }

    /// <summary>The calibration end's day number: a customer's age is measured to it.</summary>
    internal int EndDay { get; }

    internal double DaysPerUnit { get; }

    /// <summary>Customers with a transaction by the calibration end.</summary>
    public int Count { get; }

    /// <summary>Rows read from the log, calibration period or not.</summary>
    public long Transactions { get; }

    /// <summary>Customers in the log, including those first seen after the calibration end.</summary>
    public int CustomersRead => ids.Count;

    /// <summary>t_x: the time from a customer's first to its last transaction, in the model's unit.</summary>
    internal double Recency(in CustomerDays d) => (d.Last - d.First) / DaysPerUnit;

    /// <summary>T: the time from a customer's first transaction to the calibration end, in the model's unit.</summary>
    internal double Age(in CustomerDays d) => (EndDay - d.First) / DaysPerUnit;

    public List<RepeatSummary> ToList()
    {
        // Each part's first summary, so that the parts are decoded in parallel.
        var firsts = new int[Parts.Count + 1];
        for (var p = 0; p < Parts.Count; p++)
        {
            var part = Parts[p];
            firsts[p + 1] = firsts[p];
            for (var k = part.Skip; k < part.Count; k++)
            {
                firsts[p + 1] += part.Days[k].Days > 0 ? 1 : 0;
            }
        }
        var summaries = new RepeatSummary[Count];
        Parallel.For(0, Parts.Count, p =>
        {
            var (part, i) = (Parts[p], firsts[p]);
            for (var k = part.Skip; k < part.Count; k++)
            {
                ref readonly var d = ref part.Days[k];
                if (d.Days > 0)
                {
                    summaries[i++] = new RepeatSummary(Encoding.UTF8.GetString(ids[part.Customer(k)]), d.Repeats, Recency(d), Age(d), d.MeanRepeatValue);
                }
            }
        });
        return [.. summaries];
    }
}
