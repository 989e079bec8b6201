using System.Text.Json;
using BankClientele.Cli.Infrastructure;

namespace BankClientele.Cli.Tests;

/// <summary>The <c>clv</c>, <c>uplift</c> and <c>bench clv</c> commands end to end, in-process.</summary>
public class ClvUpliftCommandTests
{
    private string folder = null!;

    [SetUp]
    public void CreateFolder()
    {
        folder = Path.Combine(Path.GetTempPath(), "bankclientele-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(folder, true);

    private static string CdnowSample()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "BankClientele.Insights.Tests", "Clv", "Data", "CDNOW_sample.txt");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException("CDNOW_sample.txt");
    }

    [Test]
    public async Task Clv_fit_prints_the_published_cdnow_estimates_as_one_json_line()
    {
        var cli = new TestCli();
        var exit = await cli.RunAsync("clv", "fit", "--transactions", CdnowSample(), "--format", "cdnow", "--calibration-end", "1997-09-30");
        Assert.That(exit, Is.EqualTo(ExitCodes.Ok), cli.Error);
        var lines = cli.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1));
        using var json = JsonDocument.Parse(lines[0]);
        var bgnbd = json.RootElement.GetProperty("bgnbd");
        var spend = json.RootElement.GetProperty("gammaGamma");
        Assert.Multiple(() =>
        {
            Assert.That(json.RootElement.GetProperty("customers").GetInt32(), Is.EqualTo(2357));
            Assert.That(bgnbd.GetProperty("r").GetDouble(), Is.EqualTo(0.243).Within(0.0005));
            Assert.That(bgnbd.GetProperty("alpha").GetDouble(), Is.EqualTo(4.414).Within(0.005));
            Assert.That(bgnbd.GetProperty("a").GetDouble(), Is.EqualTo(0.793).Within(0.0005));
            Assert.That(bgnbd.GetProperty("b").GetDouble(), Is.EqualTo(2.426).Within(0.005));
            Assert.That(bgnbd.GetProperty("logLikelihood").GetDouble(), Is.EqualTo(-9582.4).Within(0.05));
            Assert.That(spend.GetProperty("p").GetDouble(), Is.EqualTo(6.25).Within(0.005));
            Assert.That(spend.GetProperty("q").GetDouble(), Is.EqualTo(3.74).Within(0.005));
            Assert.That(spend.GetProperty("gamma").GetDouble(), Is.EqualTo(15.44).Within(0.05));
            Assert.That(json.RootElement.GetProperty("seconds").GetProperty("bgnbd").GetDouble(), Is.GreaterThan(0));
        });
    }

    [Test]
    public async Task Clv_fit_with_pareto_nbd_prints_its_parameters()
    {
        var cli = new TestCli();
        var exit = await cli.RunAsync("clv", "fit", "--transactions", CdnowSample(), "--calibration-end", "1997-09-30", "--model", "pareto-nbd");
        Assert.That(exit, Is.EqualTo(ExitCodes.Ok), cli.Error);
        using var json = JsonDocument.Parse(cli.Out);
        var model = json.RootElement.GetProperty("paretoNbd");
        Assert.Multiple(() =>
        {
            Assert.That(model.GetProperty("r").GetDouble(), Is.EqualTo(0.55).Within(0.01));
            Assert.That(model.GetProperty("s").GetDouble(), Is.EqualTo(0.61).Within(0.01));
            Assert.That(model.GetProperty("logLikelihood").GetDouble(), Is.EqualTo(-9595.0).Within(0.1));
        });
    }

    [Test]
    public async Task Clv_predict_writes_a_row_per_customer()
    {
        var output = Path.Combine(folder, "clv.csv");
        var cli = new TestCli();
        var exit = await cli.RunAsync("clv", "predict", "--transactions", CdnowSample(), "--calibration-end", "1997-09-30", "--horizon-weeks", "39", "--output", output);
        Assert.That(exit, Is.EqualTo(ExitCodes.Ok), cli.Error);
        var lines = File.ReadAllLines(output);
        var first = lines[1].Split(',');
        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.Length.EqualTo(2358));
            Assert.That(lines[0], Does.StartWith("customer,frequency,recency_weeks,age_weeks,monetary_value,p_alive,expected_transactions"));
            Assert.That(first[0], Is.EqualTo("00004"));
            Assert.That(double.Parse(first[5], System.Globalization.CultureInfo.InvariantCulture), Is.InRange(0.0, 1.0));
            Assert.That(double.Parse(first[8], System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(0));
        });
    }

    [Test]
    public async Task Clv_fit_reports_bad_lines_by_number_and_fails()
    {
        var log = Path.Combine(folder, "log.csv");
        await File.WriteAllTextAsync(log, "customer,date,value\na,2024-01-01,5\na,2024-13-01,5\nb,2024-01-02,abc\n");
        var cli = new TestCli();
        var exit = await cli.RunAsync("clv", "fit", "--transactions", log, "--format", "csv", "--calibration-end", "2024-03-01");
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(ExitCodes.Failure));
            Assert.That(cli.Error, Does.Contain("line 3, date"));
            Assert.That(cli.Error, Does.Contain("line 4, value"));
            Assert.That(cli.Error, Does.Contain("2 bad line(s)"));
            Assert.That(cli.Out, Is.Empty);
        });
    }

    [Test]
    public async Task Uplift_did_estimates_a_constructed_effect_from_csv()
    {
        var panel = Path.Combine(folder, "panel.csv");
        var lines = new List<string> { "customer,week,in_campaign,after,balance" };
        for (var u = 0; u < 30; u++)
        {
            for (var week = 1; week <= 4; week++)
            {
                var treated = u < 20;
                var after = week > 2;
                lines.Add($"c{u},{week},{(treated ? 1 : 0)},{(after ? 1 : 0)},{5000 + 10 * u + 7 * week + (u % 3) + (treated && after ? 20000 : 0)}");
            }
        }
        await File.WriteAllLinesAsync(panel, lines);
        var cli = new TestCli();
        var exit = await cli.RunAsync("uplift", "did", "--data", panel, "--unit", "customer", "--period", "week", "--treated", "in_campaign", "--post", "after", "--outcome", "balance");
        Assert.That(exit, Is.EqualTo(ExitCodes.Ok), cli.Error);
        using var json = JsonDocument.Parse(cli.Out);
        Assert.Multiple(() =>
        {
            Assert.That(json.RootElement.GetProperty("att").GetDouble(), Is.EqualTo(20000).Within(1e-6));
            Assert.That(json.RootElement.GetProperty("observations").GetInt32(), Is.EqualTo(120));
            Assert.That(json.RootElement.GetProperty("ci95").GetArrayLength(), Is.EqualTo(2));
            Assert.That(json.RootElement.GetProperty("method").GetString(), Does.Contain("clustered by unit"));
        });
    }

    [Test]
    public async Task Uplift_staggered_prints_group_time_effects_and_the_simple_aggregate()
    {
        var panel = Path.Combine(folder, "staggered.csv");
        var lines = new List<string> { "branch,week,first_week,deposits" };
        for (var u = 0; u < 30; u++)
        {
            var g = (u % 3) switch { 0 => "3", 1 => "5", _ => "" };
            for (var week = 1; week <= 6; week++)
            {
                var effect = g.Length > 0 && week >= int.Parse(g, System.Globalization.CultureInfo.InvariantCulture) ? 15000 : 0;
                lines.Add($"b{u},{week},{g},{100000 + 1000 * u + 50 * week + effect}");
            }
        }
        await File.WriteAllLinesAsync(panel, lines);
        var cli = new TestCli();
        var exit = await cli.RunAsync("uplift", "staggered", "--data", panel, "--unit", "branch", "--period", "week", "--first-treated", "first_week", "--outcome", "deposits", "--control", "not-yet");
        Assert.That(exit, Is.EqualTo(ExitCodes.Ok), cli.Error);
        using var json = JsonDocument.Parse(cli.Out);
        var groupTime = json.RootElement.GetProperty("groupTime").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(json.RootElement.GetProperty("simple").GetProperty("att").GetDouble(), Is.EqualTo(15000).Within(1e-6));
            Assert.That(groupTime.Select(e => e.GetProperty("group").GetInt32()).Distinct(), Is.EquivalentTo(new[] { 3, 5 }));
            Assert.That(groupTime, Has.All.Matches<JsonElement>(e => e.TryGetProperty("standardError", out _)));
            Assert.That(json.RootElement.GetProperty("inference").GetString(), Is.EqualTo("randomization"), "as the dashboard draws them");
        });

        // The influence-function interval on request, around the same effect.
        var plain = new TestCli();
        Assert.That(await plain.RunAsync("uplift", "staggered", "--data", panel, "--unit", "branch", "--period", "week", "--first-treated", "first_week",
            "--outcome", "deposits", "--control", "not-yet", "--inference", "influence-function"), Is.EqualTo(ExitCodes.Ok), plain.Error);
        using var plainJson = JsonDocument.Parse(plain.Out);
        Assert.Multiple(() =>
        {
            Assert.That(plainJson.RootElement.GetProperty("inference").GetString(), Is.EqualTo("influence-function"));
            Assert.That(plainJson.RootElement.GetProperty("simple").GetProperty("att").GetDouble(), Is.EqualTo(15000).Within(1e-6));
        });
    }

    [Test]
    public async Task Uplift_reports_a_missing_column_and_bad_values_by_line()
    {
        var panel = Path.Combine(folder, "bad.csv");
        await File.WriteAllTextAsync(panel, "customer,week,treated,post,balance\na,1,1,0,10\na,2,yes,1,11\nb,1,0,0,x\n");
        var cli = new TestCli();
        var missing = await cli.RunAsync("uplift", "did", "--data", panel, "--unit", "customer", "--period", "week", "--treated", "treated", "--post", "post", "--outcome", "deposit");
        Assert.Multiple(() =>
        {
            Assert.That(missing, Is.EqualTo(ExitCodes.Failure));
            Assert.That(cli.Error, Does.Contain("no column 'deposit'"));
        });
        var bad = new TestCli();
        var exit = await bad.RunAsync("uplift", "did", "--data", panel, "--unit", "customer", "--period", "week", "--treated", "treated", "--post", "post", "--outcome", "balance");
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(ExitCodes.Failure));
            Assert.That(bad.Error, Does.Contain("line 3, treated: 'yes' is not 0/1"));
            Assert.That(bad.Error, Does.Contain("line 4, balance: 'x' is not a number"));
            Assert.That(bad.Out, Is.Empty);
        });
    }

    [Test]
    public async Task Bench_clv_ends_with_one_json_line_of_time_and_recovery()
    {
        var cli = new TestCli();
        var exit = await cli.RunAsync("bench", "clv", "--customers", "20000");
        Assert.That(exit, Is.EqualTo(ExitCodes.Ok), cli.Error);
        using var json = JsonDocument.Parse(cli.Out.Trim());
        var errors = json.RootElement.GetProperty("relativeError");
        Assert.Multiple(() =>
        {
            Assert.That(json.RootElement.GetProperty("customers").GetInt32(), Is.EqualTo(20000));
            Assert.That(errors.GetProperty("r").GetDouble(), Is.LessThan(0.2));
            Assert.That(errors.GetProperty("p").GetDouble(), Is.LessThan(0.2));
            Assert.That(json.RootElement.GetProperty("seconds").GetProperty("fit").GetDouble(), Is.GreaterThan(0));
            Assert.That(json.RootElement.GetProperty("seconds").GetProperty("plainParse").GetDouble(), Is.GreaterThan(0));
            Assert.That(json.RootElement.GetProperty("fitToPlainParse").GetDouble(),
                Is.EqualTo(json.RootElement.GetProperty("seconds").GetProperty("fit").GetDouble() / json.RootElement.GetProperty("seconds").GetProperty("plainParse").GetDouble()).Within(5).Percent,
                "the ratio is taken from the unrounded times, the seconds are printed rounded");
            Assert.That(cli.Error, Does.Contain("Simulating 20,000 customers"));
        });
    }
}
