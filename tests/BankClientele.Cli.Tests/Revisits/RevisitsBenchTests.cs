using System.Text.Json;

namespace BankClientele.Cli.Tests.Revisits;

public sealed class RevisitsBenchTests
{
    [Test]
    public async Task Bench_revisits_runs_the_nightly_pass_over_generated_customers_and_ends_with_one_json_line()
    {
        // Its own scratch database on the shared server (suffixed per parallel run).
        var isolation = Environment.GetEnvironmentVariable("BANKCLIENTELE_TEST_ISOLATION") is { Length: > 0 } name ? $"_{name}" : "";
        var cli = new TestCli(new Dictionary<string, string?>
        {
            ["ConnectionStrings:CustomerCare"] = "Host=127.0.0.1;Port=55432;Username=bankclientele;Password=bankclientele;Database=bankclientele_customercare",
        });

        var exit = await cli.RunAsync("bench", "revisits", "--customers", "5000", "--database", $"bankclientele_test_bench_revisits{isolation}");

        Assert.That(exit, Is.Zero, cli.Error);
        var last = cli.Out.Trim().Split('\n').Last();
        using var json = JsonDocument.Parse(last);
        var root = json.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("customers").GetInt32(), Is.EqualTo(5000));
            Assert.That(root.GetProperty("seconds").GetDouble(), Is.GreaterThan(0));
            // Generated: 60 % of customers above mass, about two in three of them due within the week;
            // 1 % large outflows (50); a tenth with a deposit maturing within 60 days (about 117 within 14).
            Assert.That(root.GetProperty("created").GetInt32(), Is.InRange(1500, 3500));
            // Per-step timings, so a change to one statement shows where it gained.
            Assert.That(root.GetProperty("steps").EnumerateObject().Select(step => step.Name),
                Is.SupersetOf(new[] { "scheduled", "flight-risk", "maturity", "escalation: manager reminders", "escalation: lead notices", "escalation: back to the pool" }));
        });
        Assert.That(cli.Error, Does.Contain("flight risk"));
    }
}
