using System.Text.Json;

namespace BankClientele.Cli.Tests;

/// <summary><c>bench demo-feed --scratch</c> end to end on the local PostgreSQL, a few days of balances in two files side by side.</summary>
public sealed class DemoFeedBenchTests
{
    [Test]
    public async Task The_demo_base_feed_loads_into_a_scratch_database_with_its_balances_in_files_side_by_side()
    {
        var server = Environment.GetEnvironmentVariable("BANKCLIENTELE_TEST_POSTGRES") ?? "Host=127.0.0.1;Port=55432;Username=bankclientele;Password=bankclientele";
        var cli = new TestCli(new Dictionary<string, string?> { ["ConnectionStrings:CustomerCare"] = server + ";Database=postgres" });
        var exit = await cli.RunAsync("bench", "demo-feed", "--scratch", "--balance-days", "3", "--daily-days", "3", "--balance-files", "2");
        Assert.That(exit, Is.Zero, cli.Error);
        using var json = JsonDocument.Parse(cli.Out.Trim().Split('\n')[^1]);
        var feeds = json.RootElement.GetProperty("feeds").EnumerateArray()
            .Select(f => (Feed: f.GetProperty("Feed").GetString(), Rows: f.GetProperty("Rows").GetInt32(), Inserted: f.GetProperty("Inserted").GetInt32(),
                Events: f.GetProperty("Events").GetInt32(), Phases: f.GetProperty("Phases")))
            .ToList();
        Assert.That(feeds.Select(f => f.Feed), Is.EqualTo(new[] { "customers", "balances", "balances", "holdings" })); // the seed's order: holdings after the balances
        Assert.Multiple(() =>
        {
            Assert.That(feeds[0].Inserted, Is.EqualTo(20_000));
            Assert.That(feeds[0].Events, Is.EqualTo(20_000), "CustomerRegistered");
            Assert.That(feeds[3].Events, Is.EqualTo(feeds[3].Inserted), "AccountOpened");
            // Every customer opened their account long before: three days each, the customers of six branches in each file.
            Assert.That(feeds[1..3].Sum(f => f.Rows), Is.EqualTo(60_000));
            Assert.That(feeds[1..3].Select(f => f.Inserted), Is.EqualTo(feeds[1..3].Select(f => f.Rows)));
            Assert.That(feeds[1..3].Select(f => f.Rows), Has.All.InRange(29_000, 31_000));
            // Each file: one DailyBalancesRecorded per branch (6) and day, plus the tiers that moved off Mass.
            Assert.That(feeds[1..3].Select(f => f.Events), Has.All.GreaterThan(6 * 3));
            Assert.That(feeds[1].Phases.TryGetProperty("merge.events", out _), Is.True);
            Assert.That(json.RootElement.GetProperty("importSeconds").GetDouble(), Is.GreaterThan(0));
        });
    }
}
