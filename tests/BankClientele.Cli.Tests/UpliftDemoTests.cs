using System.Globalization;
using BankClientele.Cli.Seed;
using BankClientele.Hosting.Customers;
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
    private static readonly DateOnly Today = new(2026, 11, 29);

    private sealed record Demo(List<BranchDay> Outside, List<GroupDay> CampaignArms, Dictionary<string, (int Invited, int Customers)> LobbyBranches);

    private static Demo? demo;

    private static async Task<Demo> ReadAsync()
    {
        if (demo is not null)
        {
            return demo;
        }
        var folder = Directory.CreateTempSubdirectory("uplift-demo-");
        try
        {
            var files = await new CoreBankingDemo(new TestCli().Context, Today).WriteFilesAsync(folder.FullName, 1, DemoNetwork.CustomerCount, recent: false, CancellationToken.None);
            var outside = new Dictionary<(string, DateOnly), (int Customers, decimal Deposit)>();
            var arms = new Dictionary<(string, DateOnly), (int Customers, decimal Deposit)>();
            foreach (var line in File.ReadLines(files[2].Path).Skip(1))
            {
                var f = line.Split(',');
                var index = (int)(long.Parse(f[0], CultureInfo.InvariantCulture) - 6_100_000_000L);
                var day = DateOnly.ParseExact(f[1], "yyyy-MM-dd", CultureInfo.InvariantCulture);
                var deposit = decimal.Parse(f[2], CultureInfo.InvariantCulture);
                var branch = DemoNetwork.CustomerBranch(index).Code;
                // As the store's "audience" dimension: campaign audiences apart from everyone else.
                if (DemoEffects.InUpliftCampaignAudience(index))
                {
                    var id = CustomerIds.FromCustomerNumber(f[0]);
                    var arm = CampaignHoldout.IsControl(DemoEffects.UpliftCampaignCode, id, DemoEffects.UpliftCampaignHoldout) ? "holdout" : "treated";
                    arms[(arm, day)] = arms.TryGetValue((arm, day), out var a) ? (a.Customers + 1, a.Deposit + deposit) : (1, deposit);
                }
                else
                {
                    outside[(branch, day)] = outside.TryGetValue((branch, day), out var o) ? (o.Customers + 1, o.Deposit + deposit) : (1, deposit);
                }
            }
            var lobby = DemoEffects.LobbyEventStarts.ToDictionary(e => e.BranchCode, e =>
            {
                var people = Enumerable.Range(1, DemoNetwork.CustomerCount).Where(i => DemoNetwork.CustomerBranch(i).Code == e.BranchCode).ToList();
                return (people.Count(DemoEffects.InvitedToLobbyEvent), people.Count);
            });
            demo = new Demo(
                [.. outside.Select(o => new BranchDay(o.Key.Item1, o.Key.Item2, o.Value.Customers, o.Value.Deposit))],
                [.. arms.Select(a => new GroupDay(a.Key.Item1, a.Key.Item2, a.Value.Customers, a.Value.Deposit))],
                lobby);
            return demo;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

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
            Assert.That(effect.Groups.SelectMany(g => g.Branches), Is.EquivalentTo(DemoEffects.LobbyEventStarts.Select(e => e.BranchCode)));
            Assert.That(effect.Effect.CiLow, Is.LessThan(expected));
            Assert.That(effect.Effect.CiHigh, Is.GreaterThan(expected));
            Assert.That(effect.PreTrendCoversZero, Is.True);
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
