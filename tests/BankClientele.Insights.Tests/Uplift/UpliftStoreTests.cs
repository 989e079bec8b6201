using System.Net;
using System.Net.Http.Json;
using BankClientele.Contracts.Acquisition;
using BankClientele.Contracts.CustomerCare;
using BankClientele.Contracts.FootTraffic;
using BankClientele.Contracts.Insights;
using BankClientele.Insights.Store;
using BankClientele.Insights.Uplift;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Insights.Tests.Uplift;

/// <summary>
/// The uplift store fed over the real broker (duplicates and late events included), and the grouped
/// deposit uplift and the lobby-event estimate read from it on constructed cases with known answers.
/// </summary>
public sealed class UpliftStoreTests
{
    private static IBus Bus => TestSystem.Insights.Get<IBus>();

    /// <summary>
    /// 40 customers over 20 days: 20 Wealth customers gain 500 each from day 10 (the period), everyone
    /// grows 10 a day. Half of each tier with manager A, half with B; one campaign arm of 10.
    /// </summary>
    private sealed record Book(string Branch, DateOnly Start, List<(Guid Id, string Tier, string Manager, bool InCampaign)> Customers)
    {
        public static Book Create()
        {
            var branch = TestServers.UniqueBranch("U");
            var customers = Enumerable.Range(0, 40)
                .Select(i => (Guid.NewGuid(), i < 20 ? "Wealth" : "Mass", i % 2 == 0 ? $"RM-{branch}-A" : $"RM-{branch}-B", i < 10))
                .ToList();
            return new Book(branch, new DateOnly(2031, 3, 1), customers);
        }

        public static decimal Deposit(string tier, int day) => 1_000m + (tier == "Wealth" && day >= 10 ? 500m : 0m) + 10m * day;
    }

    private static async Task<Book> PublishBookAsync()
    {
        var book = Book.Create();
        var at = new DateTimeOffset(2031, 2, 1, 0, 0, 0, TimeSpan.Zero);
        foreach (var (id, tier, manager, _) in book.Customers)
        {
            var tierChanged = new CustomerTierChanged(id, "N", book.Branch, null, tier, 0m, at);
            var messageId = Guid.NewGuid();
            await Bus.Publish(tierChanged, c => c.MessageId = messageId);
            await Bus.Publish(tierChanged, c => c.MessageId = messageId); // the same delivery twice
            // A late, older event under a new id: it must not overwrite the newer tier.
            await Bus.Publish(tierChanged with { Tier = "PrivateBanking", ChangedAt = at.AddDays(-30) });
            await Bus.Publish(new RelationshipManagerAssigned(id, manager, book.Branch, at));
            await Bus.Publish(new CustomerSegmentChanged(id, book.Branch, "555", tier == "Wealth" ? "high-value" : "standard", "Retain", 1_000m, 0.9, at));
        }
        await Bus.Publish(new CampaignAudienceAssigned($"CMP-{book.Branch}", book.Branch, book.Start.AddDays(10), 1, 1,
            [.. book.Customers.Where(c => c.InCampaign).Take(6).Select(c => c.Id)], [.. book.Customers.Where(c => c.InCampaign).Skip(6).Select(c => c.Id)]));
        for (var d = 0; d < 20; d++)
        {
            var message = DailyBalancesRecorded.Of(book.Branch, book.Start.AddDays(d), 1, 1,
                [.. book.Customers.Select(c => new CustomerBalance(c.Id, Book.Deposit(c.Tier, d), 0m))]);
            await Bus.Publish(message);
            if (d == 5)
            {
                await Bus.Publish(message); // a chunk re-sent under a new id replaces, never adds
            }
        }
        await using var db = TestSystem.Insights.NewDbContext();
        await Poll.UntilAsync(() => db.Set<CustomerAttributes>().CountAsync(a => a.BranchCode == book.Branch && a.Tier != null && a.RelationshipManagerId != null && a.Segment != null),
            n => n == 40, "the customers' tiers, managers and segments");
        await Poll.UntilAsync(() => db.CampaignAudience.CountAsync(a => a.BranchCode == book.Branch), n => n == 10, "the campaign audience");
        await Poll.UntilAsync(() => db.Set<DailyGroupDeposits>().CountAsync(g => g.BranchCode == book.Branch && g.Dimension == "branch"), n => n == 20, "20 branch-days");
        // Balances may have landed before the attributes: the rebuild regroups the branch.
        var client = TestSystem.Insights.ClientFor(Tokens.HeadOffice);
        (await client.PostAsync("/api/uplift/store/rebuild", null)).EnsureSuccessStatusCode();
        return book;
    }

    [Test]
    public async Task Events_feed_the_grouped_rows_once_with_the_newest_attributes()
    {
        var book = await PublishBookAsync();
        await using var db = TestSystem.Insights.NewDbContext();
        // The chunks queue their days; the regrouper (and the rebuild before it) leaves none of this branch waiting.
        using var client = TestSystem.Insights.ClientFor(Tokens.HeadOffice);
        var status = await client.GetFromJsonAsync<StoreStatus>("/api/uplift/store");
        var ids = book.Customers.Select(c => c.Id).ToList();
        var rows = await db.Set<DailyGroupDeposits>().AsNoTracking().Where(g => g.BranchCode == book.Branch).ToListAsync();
        var day5 = book.Start.AddDays(5);
        Assert.Multiple(async () =>
        {
            Assert.That(status, Is.Not.Null, "head office reads the store's backlog");
            Assert.That(await db.Set<UpliftPendingDay>().CountAsync(d => d.BranchCode == book.Branch), Is.Zero, "every landed day regrouped");
            Assert.That(await db.Set<CustomerFirstBalance>().Where(f => ids.Contains(f.CustomerId)).Select(f => f.FirstDay).Distinct().ToListAsync(),
                Is.EqualTo(new[] { book.Start }), "each customer's first balance day");
            Assert.That(await db.Set<CustomerAttributes>().CountAsync(a => a.BranchCode == book.Branch && a.Tier == "PrivateBanking"), Is.Zero, "an older tier never overwrites a newer one");
            Assert.That(await db.Set<UpliftStaleBranch>().CountAsync(b => b.BranchCode == book.Branch), Is.Zero, "the rebuild cleared the mark");
            Assert.That(rows.Single(r => r.Dimension == "branch" && r.Day == day5).Customers, Is.EqualTo(40));
            Assert.That(rows.Single(r => r.Dimension == "branch" && r.Day == day5).Deposit, Is.EqualTo(40 * (1_000m + 50m)));
            Assert.That(rows.Where(r => r.Dimension == "tier" && r.Day == day5).Select(r => (r.GroupKey, r.Customers)),
                Is.EquivalentTo(new[] { ("Mass", 20), ("Wealth", 20) }));
            Assert.That(rows.Where(r => r.Dimension == "manager" && r.Day == day5).Select(r => r.Customers), Is.EqualTo(new[] { 20, 20 }));
            Assert.That(rows.Where(r => r.Dimension == "segment" && r.Day == day5).Select(r => r.GroupKey), Is.EquivalentTo(new[] { "high-value", "standard" }));
            Assert.That(rows.Where(r => r.Dimension == "campaign" && r.Day == day5).Select(r => (r.GroupKey, r.Customers)),
                Is.EquivalentTo(new[] { ($"CMP-{book.Branch}:treated", 6), ($"CMP-{book.Branch}:holdout", 4) }));
            Assert.That(rows.Where(r => r.Dimension == "audience" && r.Day == day5).Select(r => (r.GroupKey, r.Customers)),
                Is.EquivalentTo(new[] { ("campaign", 10), ("none", 30) }));
            // Every dimension but the campaign arms (which cover the audience only) adds up to the branch total on every day.
            var totals = rows.Where(r => r.Dimension == "branch").ToDictionary(r => r.Day, r => r.Deposit);
            foreach (var dimension in UpliftStore.Dimensions.Where(d => d != "campaign"))
            {
                Assert.That(rows.Where(r => r.Dimension == dimension).GroupBy(r => r.Day).ToDictionary(g => g.Key, g => g.Sum(r => r.Deposit)),
                    Is.EquivalentTo(totals), dimension);
            }
        });
    }

    [Test]
    public async Task Grouped_uplift_gives_the_constructed_answer_and_a_branch_lead_only_their_branch()
    {
        var book = await PublishBookAsync();
        var query = $"from={book.Start.AddDays(10):yyyy-MM-dd}&to={book.Start.AddDays(19):yyyy-MM-dd}&baselineFrom={book.Start:yyyy-MM-dd}&baselineTo={book.Start.AddDays(9):yyyy-MM-dd}";
        var lead = TestSystem.Insights.ClientFor(Tokens.BranchLead(book.Branch));
        var byTier = await lead.GetFromJsonAsync<DepositUpliftReport>($"/api/uplift/deposits?groupBy=tier&{query}");
        var wealth = byTier!.Rows.Single(r => r.Group == "Wealth");
        var mass = byTier.Rows.Single(r => r.Group == "Mass");
        Assert.Multiple(() =>
        {
            Assert.That(byTier.Rows, Has.Count.EqualTo(2), "the lead sees their branch only");
            // Baseline: 20 × (1,000 + 10 × 4.5); period: 20 × (1,500 + 10 × 14.5).
            Assert.That(wealth.BaselineAverageDeposit, Is.EqualTo(20_900m));
            Assert.That(wealth.AverageDeposit, Is.EqualTo(32_900m));
            Assert.That(wealth.Change, Is.EqualTo(12_000m));
            Assert.That(wealth.ChangePerCustomer, Is.EqualTo(600m));
            Assert.That(mass.ChangePerCustomer, Is.EqualTo(100m));
            // Net new: 10 a day for 9 days between the first and last day, for 20 customers.
            Assert.That(wealth.NetNewDeposits, Is.EqualTo(1_800m));
            Assert.That(wealth.BaselineNetNewDeposits, Is.EqualTo(1_800m));
            Assert.That(wealth.Customers, Is.EqualTo(20));
            Assert.That(wealth.Days, Is.EqualTo(10));
            Assert.That(byTier.Series.Count(p => p.Group == "Wealth"), Is.EqualTo(20));
            Assert.That(byTier.Series.Single(p => p.Group == "Wealth" && p.Day == book.Start.AddDays(10)).Deposit, Is.EqualTo(20 * 1_600m));
        });

        var byManager = await lead.GetFromJsonAsync<DepositUpliftReport>($"/api/uplift/deposits?groupBy=manager&{query}");
        Assert.That(byManager!.Rows.Select(r => r.ChangePerCustomer), Is.EqualTo(new[] { 350m, 350m }), "half Wealth, half Mass each");
        var byCampaign = await lead.GetFromJsonAsync<DepositUpliftReport>($"/api/uplift/deposits?groupBy=campaign&{query}");
        Assert.That(byCampaign!.Rows.Select(r => (r.Group, r.ChangePerCustomer)),
            Is.EquivalentTo(new[] { ($"CMP-{book.Branch}:holdout", 600m), ($"CMP-{book.Branch}:treated", 600m) }));
        // The dashboard's list of campaigns with audiences: the lead's own one, with its arms.
        var campaigns = await lead.GetFromJsonAsync<List<BankClientele.Insights.Uplift.UpliftCampaign>>("/api/uplift/campaigns");
        Assert.That(campaigns!.Select(c => (c.CampaignCode, c.StartsOn, c.Treated)), Is.EqualTo(new[] { ($"CMP-{book.Branch}", book.Start.AddDays(10), 6) }));

        // Another branch's lead sees none of it; head office sees it among all branches.
        var other = TestSystem.Insights.ClientFor(Tokens.BranchLead(TestServers.UniqueBranch()));
        var hidden = await other.GetFromJsonAsync<DepositUpliftReport>($"/api/uplift/deposits?groupBy=branch&{query}");
        Assert.That(hidden!.Rows, Is.Empty);
        var office = await TestSystem.Insights.ClientFor(Tokens.HeadOffice).GetFromJsonAsync<DepositUpliftReport>($"/api/uplift/deposits?groupBy=branch&{query}");
        Assert.That(office!.Rows.Single(r => r.Group == book.Branch).Change, Is.EqualTo(12_000m + 20 * 100m));
    }

    [Test]
    public async Task Bad_filters_are_refused_naming_the_field_and_managers_are_not_let_in()
    {
        var client = TestSystem.Insights.ClientFor(Tokens.HeadOffice);
        var response = await client.GetAsync("/api/uplift/deposits?groupBy=colour&from=2031-13-01&to=2031-01-10&baselineFrom=2031-01-01&baselineTo=2031-01-05");
        var body = await response.Content.ReadAsStringAsync();
        var overlap = await client.GetAsync("/api/uplift/deposits?from=2031-01-01&to=2031-01-10&baselineFrom=2031-01-05&baselineTo=2031-01-12");
        var manager = TestSystem.Insights.ClientFor(new Hosting.Auth.StaffIdentity("RM-X-01", "RM", Hosting.Auth.StaffRoles.RelationshipManager, "X"));
        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(body, Does.Contain("groupBy").And.Contain("\"from\""));
            Assert.That(overlap.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await overlap.Content.ReadAsStringAsync(), Does.Contain("baselineTo"));
            Assert.That((await manager.GetAsync("/api/uplift/deposits")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((await TestSystem.Insights.ClientFor(Tokens.BranchLead("X")).GetAsync("/api/uplift/lobby-events")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((await TestSystem.Insights.ClientFor(Tokens.BranchLead("X")).GetAsync("/api/uplift/store")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden),
                "the store's backlog is head office's");
        });
    }

    /// <summary>
    /// Six branches over 16 weeks: three start lobby events in weeks 6, 9 and 12 and gain 1,500 a
    /// customer from then on, three never do; all share one trend at different levels. Check-ins arrive
    /// twice. The not-yet-treated estimate covers 1,500 and its pre-trend covers 0.
    /// </summary>
    [Test]
    public Task Staggered_lobby_events_recover_the_built_in_effect() => StaggeredLobbyEventsAsync(joiners: 0);

    /// <summary>
    /// The same, but five new customers open accounts at each treated branch three weeks before the end with
    /// first deposits of 500,000: the branch's average deposit per customer jumps, its customers' deposits do
    /// not. The estimate keeps to the customers the branches had (the store's joined groups) and still covers 1,500.
    /// </summary>
    [Test]
    public Task Customers_joining_during_the_window_do_not_move_the_lobby_effect() => StaggeredLobbyEventsAsync(joiners: 5);

    private static async Task StaggeredLobbyEventsAsync(int joiners)
    {
        var end = new DateOnly(2032, 1, 1).AddDays(7 * Random.Shared.Next(0, 2_000));
        var branches = Enumerable.Range(0, 6).Select(_ => TestServers.UniqueBranch("L")).ToList();
        int? Start(int b) => b < 3 ? -10 + 3 * b : null; // weeks −10, −7, −4 (relative to the week ending on `end`)
        var random = new Random(11);
        foreach (var (branch, b) in branches.Select((x, i) => (x, i)))
        {
            var customers = Enumerable.Range(0, 20).Select(_ => Guid.NewGuid()).ToList();
            var newcomers = Enumerable.Range(0, Start(b) is null ? 0 : joiners).Select(_ => Guid.NewGuid()).ToList();
            if (Start(b) is { } week)
            {
                var eventDay = end.AddDays(7 * week - 3);
                var attended = new LobbyEventAttended(Guid.NewGuid(), Guid.NewGuid(), branch, customers[0], null, null,
                    new DateTimeOffset(eventDay.ToDateTime(new TimeOnly(14, 0)), TimeSpan.FromHours(8)));
                await Bus.Publish(attended);
                await Bus.Publish(attended); // a re-sent check-in: one row
            }
            for (var d = -7 * 16 + 1; d <= 0; d++)
            {
                var day = end.AddDays(d);
                var treated = Start(b) is { } w && LobbyEventUplift.Week(day, end) >= w;
                var shock = (decimal)(random.NextDouble() - 0.5) * 600; // the branch's day: a few large movements
                var balances = customers.Select((c, i) => new CustomerBalance(c,
                    Math.Round(50_000m + 3_000m * b + 1_000m * i + 8m * (d + 200) + (treated ? 1_500m : 0m) + shock + (decimal)(random.NextDouble() * 40), 2), 0m)).ToList();
                if (d >= -20)
                {
                    balances.AddRange(newcomers.Select(c => new CustomerBalance(c, 500_000m, 0m)));
                }
                await Bus.Publish(DailyBalancesRecorded.Of(branch, day, 1, 1, [.. balances]));
            }
        }
        await using var db = TestSystem.Insights.NewDbContext();
        await Poll.UntilAsync(() => db.Set<DailyGroupDeposits>().CountAsync(g => branches.Contains(g.BranchCode) && g.Dimension == "audience"),
            n => n == 6 * 112, "16 weeks of six branches", TimeSpan.FromSeconds(90));
        await Poll.UntilAsync(() => db.Set<LobbyAttendance>().CountAsync(a => branches.Contains(a.BranchCode)), n => n == 3, "three check-ins");
        if (joiners > 0)
        {
            // The newcomers are a joined group of their own, from their first day on.
            var joinedGroups = await db.Set<DailyGroupDeposits>().Where(g => g.BranchCode == branches[0] && g.Dimension == "joined" && g.Day == end)
                .Select(g => new { g.GroupKey, g.Customers }).ToListAsync();
            Assert.That(joinedGroups.Select(g => (g.GroupKey, g.Customers)), Is.EquivalentTo(new[]
            {
                (end.AddDays(-7 * 16 + 1).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), 20),
                (end.AddDays(-20).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), joiners),
            }));
        }

        var client = TestSystem.Insights.ClientFor(Tokens.HeadOffice);
        var effect = await client.GetFromJsonAsync<LobbyEventEffect>($"/api/uplift/lobby-events?weeks=16&to={end:yyyy-MM-dd}&control=not-yet");
        Assert.Multiple(() =>
        {
            Assert.That(effect!.Groups.SelectMany(g => g.Branches), Is.SupersetOf(branches.Take(3)));
            Assert.That(effect.Effect.CiLow, Is.LessThan(1_500));
            Assert.That(effect.Effect.CiHigh, Is.GreaterThan(1_500));
            Assert.That(effect.Effect.Att, Is.EqualTo(1_500).Within(200));
            Assert.That(effect.PreTrend, Is.Not.Null);
            Assert.That(effect.PreTrendCoversZero, Is.True);
            Assert.That(effect.EventStudy.Where(e => e.EventTime >= 0).Select(e => e.Att), Has.All.EqualTo(1_500).Within(400));
            Assert.That(effect.Method, Does.Contain("not-yet-treated"));
        });
        if (joiners > 0)
        {
            // A store grouped before the joined groups existed (here: one branch-day without them) is read over every
            // customer, joiners included, until the branch is regrouped.
            await db.Database.ExecuteSqlAsync($"DELETE FROM daily_group_deposits WHERE branch_code = {branches[0]} AND dimension = 'joined' AND day = {end}");
            var partial = await client.GetFromJsonAsync<LobbyEventEffect>($"/api/uplift/lobby-events?weeks=16&to={end:yyyy-MM-dd}&control=not-yet");
            Assert.That(partial!.Effect.Att, Is.GreaterThan(10_000), "read over every customer: the joiners' first deposits show");
            await db.Database.ExecuteSqlAsync($"INSERT INTO uplift_stale_branches (branch_code, marked_at) VALUES ({branches[0]}, {DateTimeOffset.UtcNow}) ON CONFLICT DO NOTHING");
            var rebuild = await client.PostAsync("/api/uplift/store/rebuild", null);
            Assert.That(rebuild.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            var regrouped = await client.GetFromJsonAsync<LobbyEventEffect>($"/api/uplift/lobby-events?weeks=16&to={end:yyyy-MM-dd}&control=not-yet");
            Assert.That(regrouped!.Effect.Att, Is.EqualTo(effect!.Effect.Att).Within(0.01));
        }
    }

    /// <summary>
    /// Balances arriving out of order: a customer's May balances are grouped under joined "2031-05"; an April
    /// balance arriving later is their first, so the branch is marked and the rebuild moves May's rows to "2031-04".
    /// </summary>
    [Test]
    public async Task An_earlier_first_balance_arriving_late_regroups_the_later_days()
    {
        var branch = TestServers.UniqueBranch("J");
        var (late, steady) = (Guid.NewGuid(), Guid.NewGuid());
        var (april, may) = (new DateOnly(2031, 4, 20), new DateOnly(2031, 5, 12));
        await using var db = TestSystem.Insights.NewDbContext();
        Task<List<string>> JoinedOnMayAsync() => db.Set<DailyGroupDeposits>().AsNoTracking()
            .Where(g => g.BranchCode == branch && g.Dimension == "joined" && g.Day == may).OrderBy(g => g.GroupKey).Select(g => g.GroupKey).ToListAsync();

        await Bus.Publish(DailyBalancesRecorded.Of(branch, april, 1, 1, [new CustomerBalance(steady, 1_000m, 0m)]));
        // Stored before May is sent: chunks are consumed side by side, and May first would put the steady customer in May too.
        await Poll.UntilAsync(() => db.DailyBalances.CountAsync(b => b.BranchCode == branch && b.Day == april), n => n == 1, "the steady customer's April");
        await Bus.Publish(DailyBalancesRecorded.Of(branch, may, 1, 1, [new CustomerBalance(steady, 1_000m, 0m), new CustomerBalance(late, 2_000m, 0m)]));
        await Poll.UntilAsync(JoinedOnMayAsync, keys => keys.SequenceEqual(["2031-04", "2031-05"]), "May grouped: the late customer joined in May so far");

        await Bus.Publish(DailyBalancesRecorded.Of(branch, april, 1, 1, [new CustomerBalance(steady, 1_000m, 0m), new CustomerBalance(late, 1_500m, 0m)]));
        await Poll.UntilAsync(() => db.DailyBalances.CountAsync(b => b.BranchCode == branch && b.Day == april), n => n == 2, "the late April balance");
        using var client = TestSystem.Insights.ClientFor(Tokens.HeadOffice);
        await Poll.UntilAsync(async () =>
        {
            (await client.PostAsync("/api/uplift/store/rebuild", null)).EnsureSuccessStatusCode();
            return await JoinedOnMayAsync();
        }, keys => keys.SequenceEqual(["2031-04"]), "May's rows regrouped under the late customer's first month");
        Assert.That(await db.Set<CustomerFirstBalance>().AsNoTracking().Where(f => f.CustomerId == late).Select(f => f.FirstDay).SingleAsync(), Is.EqualTo(april));
    }
    /// <summary>
    /// A tier change marks the branch stale: the rebuild regroups the day grouped before it (under the old tier), and
    /// leaves the day that landed after it (grouped under the new tier already) as it is.
    /// </summary>
    [Test]
    public async Task A_rebuild_regroups_only_the_days_grouped_before_the_change()
    {
        var branch = TestServers.UniqueBranch("R");
        var customer = Guid.NewGuid();
        var (first, second) = (new DateOnly(2031, 6, 1), new DateOnly(2031, 6, 2));
        var at = new DateTimeOffset(2031, 5, 1, 0, 0, 0, TimeSpan.Zero);
        await using var db = TestSystem.Insights.NewDbContext();
        Task<List<string>> TiersOnAsync(DateOnly day) => db.Set<DailyGroupDeposits>().AsNoTracking()
            .Where(g => g.BranchCode == branch && g.Dimension == "tier" && g.Day == day).Select(g => g.GroupKey).ToListAsync();
        Task<long?> StampOfAsync(DateOnly day) => db.BranchDailyDeposits.AsNoTracking()
            .Where(d => d.BranchCode == branch && d.Day == day).Select(d => d.GroupedXmin).SingleAsync();
        async Task GroupedAsync(DateOnly day, string tier)
        {
            await Poll.UntilAsync(() => TiersOnAsync(day), t => t.SequenceEqual([tier]), $"{day} grouped under {tier}");
            await Poll.UntilAsync(() => db.Set<UpliftPendingDay>().CountAsync(d => d.BranchCode == branch), n => n == 0, "no day of the branch pending");
        }
        // Until every transaction running now has ended: a statement from then on sees all of them.
        async Task PastRunningTransactionsAsync()
        {
            var next = await db.Database.SqlQuery<long>($"SELECT pg_current_xact_id()::text::bigint AS \"Value\"").SingleAsync();
            await Poll.UntilAsync(() => db.Database.SqlQuery<long>($"SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS \"Value\"").SingleAsync(),
                xmin => xmin > next, "the transactions running before have ended");
        }

        await Bus.Publish(new CustomerTierChanged(customer, "N", branch, null, "Mass", 0m, at));
        await Poll.UntilAsync(() => db.Set<CustomerAttributes>().CountAsync(a => a.CustomerId == customer && a.Tier == "Mass"), n => n == 1, "the tier Mass");
        await Bus.Publish(DailyBalancesRecorded.Of(branch, first, 1, 1, [new CustomerBalance(customer, 1_000m, 0m)]));
        await GroupedAsync(first, "Mass");
        var firstStamp = await StampOfAsync(first);

        await Bus.Publish(new CustomerTierChanged(customer, "N", branch, "Mass", "Wealth", 0m, at.AddDays(1)));
        await Poll.UntilAsync(() => db.Set<CustomerAttributes>().CountAsync(a => a.CustomerId == customer && a.Tier == "Wealth"), n => n == 1, "the tier Wealth");
        await PastRunningTransactionsAsync();
        await Bus.Publish(DailyBalancesRecorded.Of(branch, second, 1, 1, [new CustomerBalance(customer, 1_100m, 0m)]));
        await GroupedAsync(second, "Wealth");
        var secondStamp = await StampOfAsync(second);
        // A rebuild of every day would now stamp the second day anew.
        await PastRunningTransactionsAsync();

        using var client = TestSystem.Insights.ClientFor(Tokens.HeadOffice);
        (await client.PostAsync("/api/uplift/store/rebuild", null)).EnsureSuccessStatusCode();
        Assert.Multiple(async () =>
        {
            Assert.That(await TiersOnAsync(first), Is.EqualTo(new[] { "Wealth" }), "the first day regrouped under the new tier");
            Assert.That(await StampOfAsync(first), Is.Not.EqualTo(firstStamp), "the first day stamped by the rebuild");
            Assert.That(await StampOfAsync(second), Is.EqualTo(secondStamp), "the second day, grouped after the change, left as it was");
            Assert.That(await TiersOnAsync(second), Is.EqualTo(new[] { "Wealth" }));
            Assert.That(await db.Set<UpliftStaleBranch>().CountAsync(b => b.BranchCode == branch), Is.Zero, "the mark taken");
        });
    }
}
