using BankClientele.Cli.Seed;
using BankClientele.Insights.Uplift;

namespace BankClientele.Cli.Tests;

/// <summary>
/// The demo's built-in effects, read back by the dashboard's own estimators from the seed's own
/// core-banking files (people 1..20,000, as the seed writes them), summed as the uplift store sums
/// them: the lobby events' Callaway–Sant'Anna effect on the branches' deposit per customer, and the
/// campaign's treated arm against its holdout.
/// </summary>
public sealed class UpliftDemoTests
{
    private static readonly DateOnly Today = DemoBook.Today;

    private static Task<DemoBook> ReadAsync() => DemoBook.LoadAsync();

    [Test]
    public async Task The_lobby_events_estimate_covers_what_the_demo_built_in()
    {
        var d = await ReadAsync();
        // 15,000 for each invited customer: per customer of the branch, 15,000 × the invited share.
        var expected = d.LobbyBranches.Values.Average(b => 15_000.0 * b.Invited / b.Customers);
        var firstEvents = DemoEffects.LobbyEventStarts.ToDictionary(e => e.BranchCode, e => Today.AddDays(-e.DaysAgo));
        var effect = LobbyEventUplift.Estimate(d.Outside, firstEvents, Today.AddDays(-1), 26, ControlGroup.NotYetTreated);
        TestContext.Out.WriteLine($"expected {expected:N0}; estimate {effect!.Effect.Att:N0} [{effect.Effect.CiLow:N0}, {effect.Effect.CiHigh:N0}]; " +
            $"pre-trend {effect.PreTrend?.Att:N0} [{effect.PreTrend?.CiLow:N0}, {effect.PreTrend?.CiHigh:N0}]");
        Assert.Multiple(() =>
        {
            Assert.That(d.LobbyBranches.Values.Select(b => b.Invited), Has.All.GreaterThan(0), "every event branch has invited customers");
            // What the seed prints as built in is what the files hold.
            Assert.That(d.LobbyBranches.Select(b => DemoEffects.LobbyEffectPerCustomer(b.Key)),
                Is.EqualTo(d.LobbyBranches.Values.Select(b => 15_000.0 * b.Invited / b.Customers)).Within(0.01));
            Assert.That(effect.Groups.SelectMany(g => g.Branches), Is.EquivalentTo(DemoEffects.LobbyEventStarts.Select(e => e.BranchCode)));
            Assert.That(effect.Inference, Is.EqualTo(RandomizationInference.Code), "twelve branches, one per start week: randomization inference");
            Assert.That(effect.Effect.CiLow, Is.LessThan(expected));
            Assert.That(effect.Effect.CiHigh, Is.GreaterThan(expected));
            Assert.That(effect.PreTrendCoversZero, Is.True);
        });
    }

    [Test]
    public void The_seed_says_what_it_built_in()
    {
        var lines = DemoEffects.Describe(Today);
        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Does.Contain(DemoEffects.UpliftCampaignCode).And.Contain("+20,000").And.Contain(Today.AddDays(-120).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
            foreach (var (branch, daysAgo) in DemoEffects.LobbyEventStarts)
            {
                Assert.That(lines[1], Does.Contain($"{branch} {Today.AddDays(-daysAgo):yyyy-MM-dd} {DemoEffects.LobbyEffectPerCustomer(branch):N0}"));
            }
        });
    }

    [Test]
    public async Task The_campaign_arms_differ_by_what_the_demo_built_in()
    {
        var d = await ReadAsync();
        var start = Today.AddDays(-DemoEffects.UpliftCampaignStartsDaysAgo);
        var periods = new UpliftPeriods(start, Today.AddDays(-1), start.AddDays(-DemoEffects.UpliftCampaignStartsDaysAgo), start.AddDays(-1));
        var rows = DepositUplift.Summarise(d.CampaignArms, periods).ToDictionary(r => r.Group);
        var difference = rows["treated"].ChangePerCustomer - rows["holdout"].ChangePerCustomer;
        TestContext.Out.WriteLine($"treated {rows["treated"].ChangePerCustomer:N0}, holdout {rows["holdout"].ChangePerCustomer:N0}, difference {difference:N0}");
        Assert.That((double)difference, Is.EqualTo((double)DemoEffects.CampaignUplift).Within(2_500));
    }
}
