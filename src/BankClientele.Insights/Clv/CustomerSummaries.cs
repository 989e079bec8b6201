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
/// The repeat-transaction summaries of a log's customers (see <see cref="RepeatSummary"/>) column by
/// column, in order of first appearance: what the fits read, with no record or string per customer
/// (ids are decoded only when asked for, e.g. to write predictions).
/// </summary>
public sealed class CustomerSummaries
{
    private readonly CustomerIdTable ids;

    // Each summary's customer in the id table; null when they are the same (every customer read is included).
    private readonly int[]? idIndex;

    internal CustomerSummaries(CustomerIdTable ids, int[]? idIndex, int[] frequency, double[] recency, double[] age, double[] monetaryValue, long transactions)
    {
        (this.ids, this.idIndex) = (ids, idIndex);
        (Frequency, Recency, Age, MonetaryValue, Transactions) = (frequency, recency, age, monetaryValue, transactions);
    }

    public int Count => Frequency.Length;

    public int[] Frequency { get; }

    public double[] Recency { get; }

    public double[] Age { get; }

    public double[] MonetaryValue { get; }

    /// <summary>Rows read from the log, calibration period or not.</summary>
    public long Transactions { get; }

    /// <summary>Customers in the log, including those first seen after the calibration end.</summary>
    public int CustomersRead => ids.Count;

    public string CustomerId(int i) => Encoding.UTF8.GetString(ids[idIndex is null ? i : idIndex[i]]);

    public List<RepeatSummary> ToList()
    {
        var summaries = new RepeatSummary[Count];
        Parallel.For(0, Count, i => summaries[i] = new RepeatSummary(CustomerId(i), Frequency[i], Recency[i], Age[i], MonetaryValue[i]));
        return [.. summaries];
    }
}
