using System.Text.Json;

namespace BankClientele.Cli.Tests;

/// <summary><c>bench uplift</c> end to end on the local PostgreSQL, small: one JSON line of its figures.</summary>
public sealed class UpliftBenchTests
{
    [Test]
    public async Task A_small_uplift_bench_prints_its_figures_and_drops_its_database()
    {
        var server = Environment.GetEnvironmentVariable("BANKCLIENTELE_TEST_POSTGRES") ?? "Host=127.0.0.1;Port=55432;Username=bankclientele;Password=bankclientele";
        var cli = new TestCli(new Dictionary<string, string?> { ["ConnectionStrings:Insights"] = server + ";Database=postgres" });
        var exit = await cli.RunAsync("bench", "uplift", "--branches", "3", "--customers", "3000", "--days", "60");
        Assert.That(exit, Is.Zero, cli.Error);
        using var json = JsonDocument.Parse(cli.Out.Trim().Split('\n')[^1]);
        var root = json.RootElement;
        Assert.Multiple(() =>
        {
            // Per branch and day: 1 + 5 tiers + 2 managers and the pool + 6 segments + 4 stages + 2 arms + 2 audiences;
            // per day, the network totals: 5 tiers + 6 segments + 4 stages + 3 campaigns' 2 arms + 2 audiences.
            Assert.That(root.GetProperty("rows").GetInt64(), Is.EqualTo(3 * 60 * 23 + 60 * 23));
            // Six groupings × four windows × four scopes (head office twice, two branch leads).
            Assert.That(root.GetProperty("queries").GetInt32(), Is.EqualTo(6 * 4 * 4));
            Assert.That(root.GetProperty("p50Milliseconds").GetDouble(), Is.GreaterThan(0));
            Assert.That(root.GetProperty("p95Milliseconds").GetDouble(), Is.GreaterThanOrEqualTo(root.GetProperty("p50Milliseconds").GetDouble()));
        });
    }
}
