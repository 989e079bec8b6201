using System.Globalization;
using BankClientele.Contracts.CustomerCare;
using BankClientele.Contracts.FootTraffic;
using BankClientele.Insights.Store;
using BankClientele.Insights.Uplift;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Portal.Tests.HeadOffice;

/// <summary>
/// The uplift dashboard in Chromium over four branches with known deposits: branch 0 starts lobby
/// events 7 weeks before the end, branch 1 at the start of the last 4 weeks (+1,500 a customer from
/// then on), branches 2 and 3 never; everyone grows 5 a day.
/// </summary>
public sealed class UpliftPageTests : PortalPageTest
{
    private static readonly DateOnly End = new(2033, 6, 29);
    private static readonly string[] Branches = [.. Enumerable.Range(0, 4).Select(i => $"UP{Guid.NewGuid().ToString("N")[..6].ToUpperInvariant()}{i}")];

    private static int? StartWeek(int b) => b switch { 0 => -7, 1 => -3, _ => null };

    [OneTimeSetUp]
    public async Task PublishBranchesAsync()
    {
        var bus = PortalSystem.Services.Insights.Get<IBus>();
        var random = new Random(5);
        foreach (var (branch, b) in Branches.Select((x, i) => (x, i)))
        {
            var customers = Enumerable.Range(0, 10).Select(_ => Guid.NewGuid()).ToList();
            foreach (var c in customers)
            {
                await bus.Publish(new CustomerTierChanged(c, "N", branch, null, "Affluent", 0m, DateTimeOffset.UtcNow));
            }
            if (StartWeek(b) is { } week)
            {
                var day = End.AddDays(7 * week - 6); // the first day of that week: every day of it is after the event
                await bus.Publish(new LobbyEventAttended(Guid.NewGuid(), Guid.NewGuid(), branch, customers[0], null, null,
                    new DateTimeOffset(day.ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8))));
            }
            for (var d = -83; d <= 0; d++)
            {
                var day = End.AddDays(d);
                var treated = StartWeek(b) is { } w && LobbyEventUplift.Week(day, End) >= w;
                var shock = (decimal)(random.NextDouble() - 0.5) * 200;
                await bus.Publish(DailyBalancesRecorded.Of(branch, day, 1, 1, [.. customers.Select(c => new CustomerBalance(c,
                    10_000m + 1_000m * b + 5m * (d + 100) + (treated ? 1_500m : 0m) + shock, 0m))]));
            }
        }
        await using var db = PortalSystem.Services.Insights.NewDbContext();
        await Poll.UntilAsync(() => db.Set<DailyGroupDeposits>().CountAsync(g => Branches.Contains(g.BranchCode) && g.Dimension == "audience"),
            n => n == 4 * 84, "12 weeks of four branches", TimeSpan.FromSeconds(120));
        await Poll.UntilAsync(() => db.Set<LobbyAttendance>().CountAsync(a => Branches.Contains(a.BranchCode)), n => n == 2, "two branches' check-ins");
        await Poll.UntilAsync(() => db.Set<CustomerAttributes>().CountAsync(a => Branches.Contains(a.BranchCode)), n => n == 40, "the customers' tiers");
        // Balances may have landed before the tiers: regroup now rather than wait for the job.
        using var client = PortalSystem.Services.Insights.ClientFor(Tokens.HeadOffice);
        (await client.PostAsync("/api/uplift/store/rebuild", null)).EnsureSuccessStatusCode();
    }

    [Test]
    public async Task Head_office_filters_by_period_and_grouping_sees_the_effects_and_exports_the_table()
    {
        await SignInAsync(PortalSystem.HeadOffice);
        await Page.GetByTestId("nav-insights/uplift").ClickAsync();
        await Page.GetByTestId("from").FillAsync(Day(End.AddDays(-27)));
        await Page.GetByTestId("to").FillAsync(Day(End));
        await Page.GetByTestId("baseline-from").FillAsync(Day(End.AddDays(-55)));
        await Page.GetByTestId("baseline-to").FillAsync(Day(End.AddDays(-28)));
        await Page.GetByTestId("group-by").SelectOptionAsync("branch");
        await Page.GetByTestId("show").ClickAsync();

        // Branch 1 starts within the period: +1,500 plus 28 days of growth at 5 a day; branch 2 only the growth.
        var started = await Page.GetByTestId($"uplift-row-{Branches[1]}").GetByTestId("change-per-customer").InnerTextAsync();
        var never = await Page.GetByTestId($"uplift-row-{Branches[2]}").GetByTestId("change-per-customer").InnerTextAsync();
        Assert.That(Number(started), Is.EqualTo(1_640).Within(40));
        Assert.That(Number(never), Is.EqualTo(140).Within(40));
        await Expect(Page.GetByTestId("uplift-series-chart")).ToBeVisibleAsync();
        Assert.That(Page.Url, Does.Contain("groupBy=branch").And.Contain("baselineTo=" + Day(End.AddDays(-28))));

        // The staggered lobby events: the effect with its interval, the pre-trend check, the groups.
        var att = await Page.GetByTestId("lobby-att").Locator("td").AllInnerTextsAsync();
        Assert.That(Number(att[1]), Is.EqualTo(1_500).Within(200));
        await Expect(Page.GetByTestId("lobby-pre-trend")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("lobby-pre-trend-verdict")).ToHaveClassAsync("hint");
        await Expect(Page.GetByTestId("lobby-group").Filter(new() { HasText = Branches[0] })).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("lobby-event-study-chart")).ToBeVisibleAsync();
        // The interval's method in the reader's words (randomization inference, or the narrower fallback with few branches), never the code.
        await Expect(Page.GetByTestId("lobby-inference")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("随机化推断|影响函数标准误"));
        // The table is each group against its own past: said to be a change, not an effect.
        await Expect(Page.GetByTestId("uplift-before-after")).ToContainTextAsync("不是效果");

        var csv = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId("export-insights-uplift-csv").ClickAsync());
        Assert.That(csv.SuggestedFilename, Does.StartWith("deposit-uplift-branch-").And.EndWith(".csv"));
        var text = await File.ReadAllTextAsync((await csv.PathAsync())!);
        Assert.That(text, Does.Contain("分组").And.Contain(Branches[1]).And.Contain(Day(End.AddDays(-27))));

        // Another grouping from the same form.
        await Page.GetByTestId("group-by").SelectOptionAsync("tier");
        await Page.GetByTestId("show").ClickAsync();
        await Expect(Page.GetByTestId("uplift-row-Affluent")).ToBeVisibleAsync();
    }

    [Test]
    public async Task A_branch_lead_is_offered_the_dashboard_of_their_own_branch_without_the_network_comparison()
    {
        await SignInAsync(PortalSystem.BranchLead);
        await Page.GetByTestId("nav-insights/uplift").ClickAsync();
        await Expect(Page.GetByTestId("uplift-branch")).ToHaveTextAsync(PortalSystem.Branch);
        await Expect(Page.GetByTestId("lobby-effects")).ToHaveCountAsync(0);
        await Expect(Page.GetByTestId("lobby-none")).ToHaveCountAsync(0);
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static double Number(string text) => double.Parse(text.Replace(",", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
}
