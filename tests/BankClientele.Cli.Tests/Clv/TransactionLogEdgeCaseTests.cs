using System.Globalization;
using System.Text;
using BankClientele.Insights.Clv;

namespace BankClientele.Cli.Tests.Clv;

/// <summary>
/// The file reader of <c>clv fit</c> and its summaries against a reference written out longhand here
/// (group the rows by customer, count the distinct later days), on small files written untidily: CRLF,
/// tabs and runs of spaces, blank lines, a sample-id column, no newline at the end, a byte-order mark,
/// a CSV header in another column order with quoted ids, and a bad row reported by its line.
/// </summary>
public sealed class TransactionLogEdgeCaseTests
{
    private static readonly DateOnly End = new(2024, 3, 31);

    private string path = null!;

    [SetUp]
    public void CreatePath() => path = Path.Combine(Path.GetTempPath(), $"bankclientele-edge-{Guid.NewGuid():N}.txt");

    [TearDown]
    public void DeletePath() => File.Delete(path);

    private static readonly (string Id, DateOnly Date, double Value)[] Rows =
    [
        ("0001", new(2024, 1, 5), 10),
        ("0002", new(2024, 1, 5), 3.5),
        ("0001", new(2024, 1, 5), 2.25), // a second purchase on the first day: not a repeat
        ("0001", new(2024, 2, 1), 7),
        ("0003", new(2024, 4, 2), 9), // first seen after the calibration end: left out
        ("0001", new(2024, 2, 1), 1), // same repeat day twice: one repeat, values summed
        ("0002", new(2024, 3, 31), 4), // on the calibration end: counted
        ("0001", new(2024, 5, 1), 100), // after the end: ignored
        ("客户7", new(2024, 2, 29), 0),
        ("客户7", new(2024, 3, 1), 12.5),
        ("0004", new(2024, 3, 31), 6), // first seen on the last day: T = 0
    ];

    /// <summary>The summaries as the models define them, computed the slow, obvious way.</summary>
    private static Dictionary<string, RepeatSummary> Reference(IEnumerable<(string Id, DateOnly Date, double Value)> rows) =>
        rows.GroupBy(r => r.Id)
            .Where(g => g.Min(r => r.Date) <= End)
            .Select(g =>
            {
                var first = g.Min(r => r.Date);
                var repeats = g.Where(r => r.Date > first && r.Date <= End).ToList();
                var days = repeats.Select(r => r.Date).Distinct().ToList();
                var last = days.Count == 0 ? first : days.Max();
                return new RepeatSummary(g.Key, days.Count, (last.DayNumber - first.DayNumber) / 7.0,
                    (End.DayNumber - first.DayNumber) / 7.0, days.Count == 0 ? 0 : repeats.Sum(r => r.Value) / days.Count);
            })
            .ToDictionary(s => s.CustomerId);

    private static void AssertSameSummaries(List<RepeatSummary> actual) => AssertSameSummaries(actual, Rows);

    private static void AssertSameSummaries(List<RepeatSummary> actual, IReadOnlyList<(string Id, DateOnly Date, double Value)> rows)
    {
        var expected = Reference(rows);
        Assert.That(actual.Select(s => s.CustomerId), Is.EqualTo(rows.Select(r => r.Id).Distinct().Where(expected.ContainsKey)), "customers in order of first appearance");
        Assert.Multiple(() =>
        {
            foreach (var s in actual)
            {
                var e = expected[s.CustomerId];
                Assert.That((s.Frequency, s.Recency, s.Age), Is.EqualTo((e.Frequency, e.Recency, e.Age)), s.CustomerId);
                Assert.That(s.MonetaryValue, Is.EqualTo(e.MonetaryValue).Within(1e-12), s.CustomerId);
            }
        });
    }

    private static string Compact(DateOnly d) => d.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static string Number(double v) => v.ToString(CultureInfo.InvariantCulture);

    [Test]
    public void An_untidy_cdnow_file_summarises_as_the_reference_does()
    {
        var text = new StringBuilder("\r\n");
        for (var i = 0; i < Rows.Length; i++)
        {
            var (id, date, value) = Rows[i];
            // Alternately: a sample-id column and tabs; runs of spaces; a blank line between.
            text.Append(i % 2 == 0
                ? $"{id}\t{i}\t{Compact(date)}\t1\t{Number(value)}\r\n"
                : $"  {id}   {Compact(date)}  2 {Number(value)}  \r\n\r\n");
        }
        File.WriteAllText(path, text.ToString().TrimEnd('\r', '\n'), new UTF8Encoding(true));
        AssertSameSummaries(TransactionLog.SummariseFile(path, TransactionLogFormat.Cdnow, End).ToList());
    }

    [Test]
    public void A_csv_file_with_its_columns_in_another_order_and_quoted_ids_summarises_as_the_reference_does()
    {
        var text = new StringBuilder("\"amount\", note ,date,customer_id\r\n");
        for (var i = 0; i < Rows.Length; i++)
        {
            var (id, date, value) = Rows[i];
            var quotedId = i % 3 == 0 ? $"\"{id}\"" : id;
            var dateText = i % 2 == 0 ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : Compact(date);
            text.Append($"{Number(value)},\"a note, with \"\"quotes\"\"\",{dateText},{quotedId} \r\n");
        }
        File.WriteAllText(path, text.ToString().TrimEnd('\r', '\n'));
        AssertSameSummaries(TransactionLog.SummariseFile(path, TransactionLogFormat.Csv, End).ToList());
    }

    [Test]
    public void A_quoted_csv_id_keeps_its_comma_and_its_escaped_quote()
    {
        File.WriteAllText(path, "customer,date,value\n\"Li, \"\"Jr\"\"\",2024-01-01,5\n\"Li, \"\"Jr\"\"\",2024-01-08,8");
        var summary = TransactionLog.SummariseFile(path, TransactionLogFormat.Csv, End).ToList().Single();
        Assert.That((summary.CustomerId, summary.Frequency, summary.MonetaryValue), Is.EqualTo(("Li, \"Jr\"", 1, 8.0)));
    }

    [Test]
    public void Bad_rows_in_a_crlf_csv_are_reported_by_their_line_counting_the_header_and_blank_lines()
    {
        File.WriteAllText(path, "customer,date,value\r\na,2024-01-01,5\r\n\r\nb,2024-02-30,1\r\nc,2024-01-02,-1\r\n,2024-01-02,1\r\nd,2024-01-03,x");
        var error = Assert.Throws<TransactionLogException>(() => TransactionLog.SummariseFile(path, TransactionLogFormat.Csv, End))!;
        Assert.That(error.Errors, Is.EqualTo(new[]
        {
            new LogLineError(4, "date", "'2024-02-30' is not a yyyy-MM-dd date"),
            new LogLineError(5, "value", "'-1' is not a non-negative number"),
            new LogLineError(6, "customer", "empty"),
            new LogLineError(7, "value", "'x' is not a non-negative number"),
        }));
    }

    [Test]
    public void A_cdnow_row_with_too_few_fields_is_reported_by_its_line()
    {
        File.WriteAllText(path, "1 20240101 1 5\r\n2 20240101 5\r\n3 20240101 1 7");
        var error = Assert.Throws<TransactionLogException>(() => TransactionLog.SummariseFile(path, TransactionLogFormat.Cdnow, End))!;
        Assert.That(error.Errors, Is.EqualTo(new[] { new LogLineError(2, "line", "expected 4 or 5 whitespace-separated fields, found 3") }));
    }

    [Test]
    public void Rows_straddling_segment_boundaries_in_a_crlf_file_summarise_as_the_reference_does()
    {
        // Three 8 MiB segments (a segment owns the lines that start in it). At the first boundary a line
        // straddles it and the customer's last day continues in the next segment; at the second a
        // customer's first day is split between two segments; one customer's rows come out of day order
        // across segments (summarised again from its rows); the last line has no newline.
        const int Segment = 8 << 20;
        var text = new StringBuilder();
        var rows = new List<(string Id, DateOnly Date, double Value)>();
        void Row(string id, DateOnly date, double value, string newline = "\r\n")
        {
            text.Append($"{id} {Compact(date)} 1 {Number(value)}{newline}");
            rows.Add((id, date, value));
        }
        string Line(string id, DateOnly date, double value) => $"{id} {Compact(date)} 1 {Number(value)}\r\n";
        void FillTo(long end)
        {
            // Filler customers (one day each) up to exactly `end`, the last filler line padded with spaces.
            var filler = 0;
            while (end - text.Length > 64)
            {
                Row($"f{filler++ % 1000}", new DateOnly(2024, 1, 10), 1);
            }
            var last = Line("f0", new DateOnly(2024, 1, 10), 1);
            text.Append("f0" + new string(' ', (int)(end - text.Length) - last.Length) + last[2..]);
            rows.Add(("f0", new DateOnly(2024, 1, 10), 1));
            Assert.That(text.Length, Is.EqualTo(end));
        }

        Row("shuffled", new DateOnly(2024, 3, 1), 4);
        var a = Line("straddler", new DateOnly(2024, 1, 3), 10);
        var b = Line("straddler", new DateOnly(2024, 1, 3), 5);
        FillTo(Segment - a.Length - b.Length - 5);
        Row("straddler", new DateOnly(2024, 1, 3), 10);
        Row("straddler", new DateOnly(2024, 1, 3), 5);
        Row("straddler", new DateOnly(2024, 2, 7), 7); // starts 5 bytes before the boundary: the first segment's
        Row("straddler", new DateOnly(2024, 2, 7), 1); // the second segment's, on the same day
        Row("straddler", new DateOnly(2024, 3, 9), 2);
        Row("shuffled", new DateOnly(2024, 1, 2), 6); // earlier than its row in the first segment
        var e = Line("split", new DateOnly(2024, 1, 20), 3);
        FillTo(2L * Segment - e.Length);
        Row("split", new DateOnly(2024, 1, 20), 3); // ends exactly on the boundary
        Row("split", new DateOnly(2024, 1, 20), 8); // the first day again, in the third segment
        Row("split", new DateOnly(2024, 2, 2), 5);
        Row("shuffled", new DateOnly(2024, 3, 1), 2);
        Row("last", new DateOnly(2024, 1, 5), 3.5, newline: "");
        File.WriteAllText(path, text.ToString());

        var summaries = TransactionLog.SummariseFile(path, TransactionLogFormat.Cdnow, End);
        Assert.That(summaries.Transactions, Is.EqualTo(rows.Count));
        var actual = summaries.ToList();
        AssertSameSummaries(actual, rows);
        var byId = actual.ToDictionary(s => s.CustomerId);
        Assert.Multiple(() =>
        {
            Assert.That((byId["straddler"].Frequency, byId["straddler"].MonetaryValue), Is.EqualTo((2, 5.0)));
            Assert.That((byId["split"].Frequency, byId["split"].MonetaryValue), Is.EqualTo((1, 5.0)));
            Assert.That((byId["shuffled"].Frequency, byId["shuffled"].MonetaryValue), Is.EqualTo((1, 6.0)));
            Assert.That(byId["last"].Frequency, Is.Zero);
        });
    }
}
