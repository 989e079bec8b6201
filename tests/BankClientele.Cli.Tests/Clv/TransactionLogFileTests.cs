using BankClientele.Insights.Clv;

namespace BankClientele.Cli.Tests.Clv;

/// <summary>
/// The parallel file reader of <c>clv fit</c> against the line-by-line reader, on a log of several
/// 8 MB segments (customers whose transactions straddle segment boundaries, days repeated).
/// </summary>
public sealed class TransactionLogFileTests
{
    private string path = null!;

    [SetUp]
    public void CreateFile() => path = Path.Combine(Path.GetTempPath(), $"bankclientele-log-{Guid.NewGuid():N}.txt");

    [TearDown]
    public void DeleteFile() => File.Delete(path);

    private static TransactionLog Generated(int rows)
    {
        var random = new Random(5);
        var log = new TransactionLog();
        var origin = new DateOnly(2024, 1, 1).DayNumber;
        for (var i = 0; i < rows; i++)
        {
            // Customers scattered over the whole file, some with two purchases on a day.
            log.Add(random.Next(60_000), origin + random.Next(200), Math.Round(random.NextDouble() * 500, 2));
        }
        return log;
    }

    [Test]
    public void A_log_of_several_segments_reads_as_the_line_by_line_reader_reads_it()
    {
        using (var file = File.Create(path))
        {
            Generated(900_000).WriteCdnow(file);
        }
        Assert.That(new FileInfo(path).Length, Is.GreaterThan(2L * 8 * 1024 * 1024), "at least three segments");
        var end = new DateOnly(2024, 6, 1);
        var parallel = TransactionLog.SummariseFile(path, TransactionLogFormat.Cdnow, end);
        TransactionLog sequential;
        using (var reader = new StreamReader(path))
        {
            sequential = TransactionLog.ReadCdnow(reader);
        }
        Assert.That(parallel.Transactions, Is.EqualTo(sequential.Transactions));
        Assert.That(parallel.CustomersRead, Is.EqualTo(sequential.Customers));
        var expected = sequential.Summarise(end);
        var actual = parallel.ToList();
        Assert.That(actual.Select(s => s.CustomerId), Is.EqualTo(expected.Select(s => s.CustomerId)), "customers in order of first appearance");
        Assert.Multiple(() =>
        {
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.That(actual[i].Frequency, Is.EqualTo(expected[i].Frequency));
                Assert.That(actual[i].Recency, Is.EqualTo(expected[i].Recency));
                Assert.That(actual[i].Age, Is.EqualTo(expected[i].Age));
                Assert.That(actual[i].MonetaryValue, Is.EqualTo(expected[i].MonetaryValue).Within(1e-9));
            }
        });
    }

    [Test]
    public void A_bad_line_deep_in_a_later_segment_is_reported_by_its_line_in_the_file()
    {
        var lines = Enumerable.Range(0, 500_000).Select(i => $"{i % 9_000:D5} 2024{1 + i % 12:D2}{1 + i % 28:D2} 1 {i % 97}.5").ToList();
        lines[430_000] = "00042 20241399 1 3.5";
        lines[470_000] = "00042 20240101 1 -3";
        File.WriteAllLines(path, lines);
        var error = Assert.Throws<TransactionLogException>(() => TransactionLog.SummariseFile(path, TransactionLogFormat.Cdnow, new DateOnly(2024, 12, 31)))!;
        Assert.Multiple(() =>
        {
            Assert.That(error.ErrorCount, Is.EqualTo(2));
            Assert.That(error.Errors[0], Is.EqualTo(new LogLineError(430_001, "date", "'20241399' is not a yyyyMMdd date")));
            Assert.That(error.Errors[1], Is.EqualTo(new LogLineError(470_001, "value", "'-3' is not a non-negative number")));
        });
    }

    [Test]
    public void A_csv_log_with_quoted_ids_and_a_byte_order_mark_reads_its_named_columns()
    {
        File.WriteAllText(path, "amount,customer_id,date\n5,\"a,1\",2024-01-01\n10,\"a,1\",20240108\n\n7,b,2024-01-02\n", new System.Text.UTF8Encoding(true));
        var summaries = TransactionLog.SummariseFile(path, TransactionLogFormat.Csv, new DateOnly(2024, 1, 31)).ToList().ToDictionary(s => s.CustomerId);
        Assert.Multiple(() =>
        {
            Assert.That(summaries.Keys, Is.EquivalentTo(new[] { "a,1", "b" }));
            Assert.That(summaries["a,1"].Frequency, Is.EqualTo(1));
            Assert.That(summaries["a,1"].MonetaryValue, Is.EqualTo(10));
            Assert.That(summaries["b"].Frequency, Is.Zero);
        });
    }
}
