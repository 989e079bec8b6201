using System.Globalization;
using System.Text.Json;
using BankClientele.Cli.Infrastructure;
using BankClientele.Insights.Uplift;
using MathNet.Numerics.Distributions;

namespace BankClientele.Cli.Tests.Uplift;

/// <summary><c>uplift power</c> against the closed form N = (z₁₋α/₂ + z₁₋β)² σ² (1/(1−h) + 1/h) / D², each group rounded up.</summary>
public class UpliftPowerTests
{
    private static async Task<JsonElement> RunAsync(params string[] args)
    {
        var cli = new TestCli();
        var exit = await cli.RunAsync(["uplift", "power", .. args]);
        Assert.That(exit, Is.EqualTo(ExitCodes.Ok), cli.Error);
        var lines = cli.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), "one JSON line");
        return JsonDocument.Parse(lines[0]).RootElement.Clone();
    }

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);

    [Test]
    public async Task Equal_groups_for_a_fifth_of_a_standard_deviation_need_393_each()
    {
        var json = await RunAsync("--sd", "1", "--effect", "0.2", "--alpha", "0.05", "--power", "0.8", "--holdout-fraction", "0.5");
        Assert.Multiple(() =>
        {
            Assert.That(json.GetProperty("treated").GetInt64(), Is.EqualTo(393), "784.9 / 2 = 392.4, rounded up");
            Assert.That(json.GetProperty("control").GetInt64(), Is.EqualTo(393));
            Assert.That(json.GetProperty("total").GetInt64(), Is.EqualTo(786));
        });
    }

    [TestCase(5_000.0, 500.0, 0.05, 0.9, 0.2)]
    [TestCase(12_000.0, 1_000.0, 0.01, 0.8, 0.1)]
    [TestCase(1.0, -0.1, 0.05, 0.8, 0.3)]
    public async Task Unequal_groups_follow_the_closed_form_rounded_up(double sd, double effect, double alpha, double power, double holdout)
    {
        var z = Normal.InvCDF(0, 1, 1 - alpha / 2) + Normal.InvCDF(0, 1, power);
        var total = z * z * sd * sd * (1 / (1 - holdout) + 1 / holdout) / (effect * effect);
        var json = await RunAsync("--sd", Text(sd), "--effect", Text(effect), "--alpha", Text(alpha), "--power", Text(power), "--holdout-fraction", Text(holdout));
        var (treated, control) = (json.GetProperty("treated").GetInt64(), json.GetProperty("control").GetInt64());
        Assert.Multiple(() =>
        {
            Assert.That(treated, Is.EqualTo((long)Math.Ceiling((1 - holdout) * total)));
            Assert.That(control, Is.EqualTo((long)Math.Ceiling(holdout * total)));
            Assert.That(json.GetProperty("total").GetInt64(), Is.EqualTo(treated + control));
            // The design reaches the power asked for, and one customer fewer in each group would not.
            Assert.That(Planning.Power(effect, sd, (int)treated, (int)control, alpha), Is.GreaterThanOrEqualTo(power));
            Assert.That(Planning.Power(effect, sd, (int)treated - 1, (int)control - 1, alpha), Is.LessThan(power));
        });
    }

    [Test]
    public async Task Given_groups_report_their_power_and_minimum_detectable_effect()
    {
        var json = await RunAsync("--sd", "1", "--effect", "0.2", "--treated", "393", "--control", "393");
        Assert.Multiple(() =>
        {
            Assert.That(json.GetProperty("power").GetDouble(), Is.EqualTo(0.8).Within(0.002));
            // MDE at power 0.8: (1.95996 + 0.84162) × √(2/393).
            Assert.That(json.GetProperty("mde").GetDouble(), Is.EqualTo(2.80158 * Math.Sqrt(2.0 / 393)).Within(1e-4));
        });
    }

    [Test]
    public async Task A_bad_design_is_refused_by_name()
    {
        var cli = new TestCli();
        Assert.That(await cli.RunAsync("uplift", "power", "--sd", "1", "--effect", "0.2", "--holdout-fraction", "1.5"), Is.EqualTo(ExitCodes.Failure));
        Assert.That(cli.Error, Does.Contain("holdout fraction"));
        var half = new TestCli();
        Assert.That(await half.RunAsync("uplift", "power", "--sd", "1", "--effect", "0.2", "--treated", "100"), Is.EqualTo(ExitCodes.Failure));
        Assert.That(half.Error, Does.Contain("--control"));
    }
}
