using System.Text.Json;

namespace BankClientele.Cli.Tests.Insights;

public sealed class SegmentationBenchTests
{
    [Test]
    public async Task Bench_segmentation_runs_twice_and_the_second_run_publishes_nothing()
    {
        // Its own scratch database on the shared server (suffixed per parallel run).
        var isolation = Environment.GetEnvironmentVariable("BANKCLIENTELE_TEST_ISOLATION") is { Length: > 0 } name ? $"_{name}" : "";
        var cli = new TestCli(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Insights"] = "Host=127.0.0.1;Port=55432;Username=bankclientele;Password=bankclientele;Database=bankclientele_insights",
        });

        var exit = await cli.RunAsync("bench", "segmentation", "--customers", "3000", "--database", $"bankclientele_test_bench_segmentation{isolation}");

        Assert.That(exit, Is.Zero, cli.Error);
        using var json = JsonDocument.Parse(cli.Out.Trim().Split('\n').Last());
        var root = json.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("customers").GetInt32(), Is.EqualTo(3000));
            // 90 % of customers with 12 balance days, the newest 10 % with those since they joined.
            Assert.That(root.GetProperty("balanceRows").GetInt64(), Is.InRange(32_000, 33_000));
            Assert.That(root.GetProperty("firstRun").GetProperty("published").GetInt32(), Is.EqualTo(3000));
            Assert.That(root.GetProperty("secondRun").GetProperty("published").GetInt32(), Is.Zero);
            Assert.That(root.GetProperty("secondRun").GetProperty("updated").GetInt32(), Is.Zero);
            Assert.That(root.GetProperty("model").GetString(), Is.EqualTo("bgnbd"));
            Assert.That(root.GetProperty("firstRunToScan").GetDouble(), Is.GreaterThan(0));
        });
    }

    [Test]
    public async Task Bench_segmentation_refuses_too_few_customers()
    {
        var cli = new TestCli();
        var exit = await cli.RunAsync("bench", "segmentation", "--customers", "10");
        Assert.That(exit, Is.Not.Zero);
        Assert.That(cli.Error, Does.Contain("--customers must be between 100 and 10,000,000"));
    }
}
