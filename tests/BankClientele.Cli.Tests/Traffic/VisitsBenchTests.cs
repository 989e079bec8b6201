using System.Text.Json;

namespace BankClientele.Cli.Tests.Traffic;

public sealed class VisitsBenchTests
{
    [Test]
    public async Task Bench_visits_imports_the_rows_prints_the_phases_and_ends_with_one_json_line()
    {
        // Its scratch database is the foot-traffic database's name with "_bench": suffixed per parallel run.
        var isolation = Environment.GetEnvironmentVariable("BANKCLIENTELE_TEST_ISOLATION") is { Length: > 0 } name ? $"_{name}" : "";
        var cli = new TestCli(new Dictionary<string, string?>
        {
            ["ConnectionStrings:FootTraffic"] = $"Host=127.0.0.1;Port=55432;Username=bankclientele;Password=bankclientele;Database=bankclientele_test_foottraffic{isolation}",
            ["Privacy:MatchingKey"] = TestCli.MatchingKey,
        });

        var exit = await cli.RunAsync("bench", "visits", "--events", "3000");

        Assert.That(exit, Is.Zero, cli.Error);
        using var json = JsonDocument.Parse(cli.Out.Trim().Split('\n').Last());
        var root = json.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("events").GetInt32(), Is.EqualTo(3000), "the bench fails unless all 3,000 were added");
            Assert.That(root.GetProperty("seconds").GetDouble(), Is.GreaterThan(0));
            Assert.That(root.GetProperty("copySeconds").GetDouble(), Is.GreaterThan(0));
            Assert.That(root.GetProperty("ratio").GetDouble(), Is.GreaterThan(0));
        });
        // A fresh scratch database: every ticket new, so the plain inserts and the rollups counted while reading.
        Assert.That(cli.Error, Does.Contain("import phases (new tickets)").And.Contain("insert").And.Contain("events").And.Contain("rollups"));
    }
}
