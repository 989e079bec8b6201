using System.Globalization;
using System.Text;
using BankClientele.Insights.Clv;

namespace BankClientele.Cli.Tests.Clv;

/// <summary>
/// The file reader of <c>clv fit</c> on logs of several 8 MiB segments grouped by customer, which it
/// joins without hashing when the ids increase (by length then bytes, as plain numbers do, or byte by
/// byte, as zero-padded ids do), and on the same rows when that order breaks somewhere, against the
/// line-by-line reader: the summaries and the order of first appearance must not depend on the path taken.
/// </summary>
public sealed class GroupedLogTests
{
    private static readonly DateOnly Origin = new(2024, 1, 1);
    private static readonly DateOnly End = new(2024, 9, 30);

    private string path = null!;

    [SetUp]
    public void CreatePath() => path = Path.Combine(Path.GetTempPath(), $"bankclientele-grouped-{Guid.NewGuid():N}.txt");

    [TearDown]
    public void DeletePath() => File.Delete(path);

    public enum Variant
    {
        /// <summary>Ids 1, 2, … 10, 11 … unpadded, CRLF, no newline after the last line.</summary>
        NumbersCrlfNoFinalNewline,

        /// <summary>Zero-padded ids (byte order), LF, one customer's rows over more than a whole segment.</summary>
        PaddedWithACustomerOverASegment,

        /// <summary>Grouped and increasing, but some customers' rows out of day order (summarised again from their rows).</summary>
        DaysOutOfOrder,

        /// <summary>Grouped, but the second half of the customers written before the first: the order breaks once.</summary>
        HalvesSwapped,

        /// <summary>Grouped, but one customer's rows in two places (after others): not grouped after all.</summary>
        ACustomerComingBack,
    }

    /// <summary>Customers with 1–8 rows each, some on one day twice, some after the calibration end, about 1.2 M rows.</summary>
    private static List<(string Id, int Day, double Value)[]> Customers(Variant variant)
    {
        var random = new Random(23);
        var customers = new List<(string, int, double)[]>();
        for (var c = 1; c <= 180_000; c++)
        {
            var id = variant == Variant.PaddedWithACustomerOverASegment ? c.ToString("D7", CultureInfo.InvariantCulture) : c.ToString(CultureInfo.InvariantCulture);
            var isLong = variant == Variant.PaddedWithACustomerOverASegment && c == 90_000;
            var rows = isLong ? 500_000 : 1 + random.Next(8);
            var day = Origin.DayNumber + random.Next(120);
            var own = new (string, int, double)[rows];
            for (var r = 0; r < rows; r++)
            {
                own[r] = (id, day, Math.Round(random.NextDouble() * 300, 2));
                // The long customer buys most days, 10,000 days in all (far past the calibration end).
                day += isLong ? (r % 50 == 0 ? 1 : 0) : random.Next(4) == 0 ? 0 : 1 + random.Next(40);
            }
            if (variant == Variant.DaysOutOfOrder && c % 997 == 0)
            {
                Array.Reverse(own);
            }
            customers.Add(own);
        }
        if (variant == Variant.HalvesSwapped)
        {
            customers = [.. customers.Skip(customers.Count / 2), .. customers.Take(customers.Count / 2)];
        }
        if (variant == Variant.ACustomerComingBack)
        {
            var back = customers[50_000];
            customers[50_000] = back[..(back.Length / 2)];
            customers.Insert(150_000, back[(back.Length / 2)..]);
        }
        return customers;
    }

    [TestCase(Variant.NumbersCrlfNoFinalNewline)]
    [TestCase(Variant.PaddedWithACustomerOverASegment)]
    [TestCase(Variant.DaysOutOfOrder)]
    [TestCase(Variant.HalvesSwapped)]
    [TestCase(Variant.ACustomerComingBack)]
    public void A_log_of_several_segments_reads_as_the_line_by_line_reader_reads_it(Variant variant)
    {
        var newline = variant == Variant.NumbersCrlfNoFinalNewline ? "\r\n" : "\n";
        var text = new StringBuilder();
        foreach (var (id, day, value) in Customers(variant).SelectMany(c => c))
        {
            text.Append(CultureInfo.InvariantCulture, $"{id} {DateOnly.FromDayNumber(day):yyyyMMdd} 1 {value}{newline}");
        }
        if (variant == Variant.NumbersCrlfNoFinalNewline)
        {
            text.Length -= newline.Length;
        }
        File.WriteAllText(path, text.ToString());
        Assert.That(new FileInfo(path).Length, Is.GreaterThan(2L * TransactionLogFileSegment), "at least three segments");

        var parallel = TransactionLog.SummariseFile(path, TransactionLogFormat.Cdnow, End);
        TransactionLog sequential;
        using (var reader = new StreamReader(path))
        {
            sequential = TransactionLog.ReadCdnow(reader);
        }
        Assert.That(parallel.Transactions, Is.EqualTo(sequential.Transactions));
        Assert.That(parallel.CustomersRead, Is.EqualTo(sequential.Customers));
        var expected = sequential.Summarise(End);
        var actual = parallel.ToList();
        Assert.That(actual.Select(s => s.CustomerId), Is.EqualTo(expected.Select(s => s.CustomerId)), "customers in order of first appearance");
        var wrong = Enumerable.Range(0, expected.Count)
            .Where(i => (actual[i].Frequency, actual[i].Recency, actual[i].Age) != (expected[i].Frequency, expected[i].Recency, expected[i].Age)
                        || Math.Abs(actual[i].MonetaryValue - expected[i].MonetaryValue) > 1e-9)
            .Select(i => $"{expected[i]} read as {actual[i]}")
            .Take(5)
            .ToList();
        Assert.That(wrong, Is.Empty);
        if (variant == Variant.PaddedWithACustomerOverASegment)
        {
            Assert.That(actual.Single(s => s.CustomerId == "0090000").Frequency, Is.GreaterThan(100), "the long customer's repeat days from every segment");
        }
    }

    /// <summary>The reader's segment size (8 MiB).</summary>
    private const long TransactionLogFileSegment = 8 << 20;
}
