using System.Diagnostics;
using BankClientele.Cli.Infrastructure;
using BankClientele.Cli.Readiness;
using BankClientele.CustomerCare.Managers;
using BankClientele.Insights.BranchStats;
using BankClientele.Hosting.Time;
using Spectre.Console;

namespace BankClientele.Cli.Seed;

public sealed record SeedOptions(bool Force, bool SkipPortal, TimeSpan StartupTimeout, TimeSpan InsightsTimeout)
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
}

/// <summary>Per-branch counts as Insights keeps them.</summary>
public sealed record BranchCounts(int Customers, int Assignments, int Visits)
{
    public static readonly BranchCounts Zero = new(0, 0, 0);

    public static BranchCounts Of(BranchStatisticsView? view) =>
        view is null ? Zero : new(view.Customers, view.Assignments, view.Visits);

    public bool Reached(BranchCounts expected) =>
        Customers >= expected.Customers && Assignments >= expected.Assignments && Visits >= expected.Visits;
}

/// <summary>A seed step failed; the message names the step, the service and what was done before it.</summary>
public sealed class SeedStepException(string message, Exception inner) : CliException(message, inner);

/// <summary>
/// Pushes the <see cref="DemoNetwork"/> through the services' HTTP APIs, never into their tables:
/// relationship managers (customer-care), prospects and conversions (acquisition), visits
/// (foot-traffic), sign-in accounts (portal); then waits until Insights, fed over RabbitMQ, shows
/// the expected counts.
/// </summary>
public sealed class DemoSeeder(CliContext context, SeedApi api, SeedOptions options)
{
    private const int TotalSteps = 5;

    private readonly List<string> done = [];

    /// <summary>
    /// Time spent on each part of the demo ("service: step"), printed at the end by service with the steps of
    /// customer care, whose network (managers, base feed, assignment, offers, recent accounts, revisits) is meant to load in under a minute.
    /// </summary>
    private readonly Dictionary<string, TimeSpan> spent = [];

    private async Task<T> TimedAsync<T>(string part, Func<Task<T>> action)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            return await action();
        }
        finally
        {
            spent[part] = spent.GetValueOrDefault(part) + clock.Elapsed;
        }
    }

    private Task TimedAsync(string part, Func<Task> action) => TimedAsync(part, async () => { await action(); return true; });

    private const string Care = "customer care";

    public async Task<int> RunAsync(DemoPlan plan, CancellationToken ct)
    {
        await WaitForServicesAsync([api.CustomerCare, api.Acquisition, api.FootTraffic, api.Insights], ct);

        var existing = await api.ListRelationshipManagersAsync(ct);
        var seeded = DemoNetwork.RelationshipManagers.All(m => existing.Any(e => e.StaffId == m.StaffId));
        if (seeded && !options.Force)
        {
            return await AlreadySeededAsync(existing, ct);
        }
        if (seeded)
        {
            context.Warn("--force: the demo network is already there; pushing it again adds its prospects, customers and visits a second time.");
        }

        context.Console.MarkupLine(
            $"Seeding the demo branch network for [bold]{plan.Day:yyyy-MM-dd}[/] ({Markup.Escape(BranchClock.Zone.Id)}) through the services' APIs:");
        var baseline = (await api.BranchStatisticsAsync(ct)).ToDictionary(s => s.BranchCode);
        var total = Stopwatch.StartNew();

        var managers = await TimedAsync($"{Care}: managers", () => StepAsync(1, "relationship managers", api.CustomerCare, async status =>
        {
            foreach (var manager in DemoNetwork.RelationshipManagers)
            {
                status($"{manager.StaffId} {manager.Name}");
                await api.SaveRelationshipManagerAsync(manager, ct);
            }
            var saved = await api.ListRelationshipManagersAsync(ct);
            return (saved, $"{DemoNetwork.RelationshipManagers.Count} saved (capacity {DemoNetwork.RelationshipManagerCapacity} each)");
        }));

        var customers = await TimedAsync("acquisition: prospects and conversions", () => StepAsync(2, "prospects and conversions", api.Acquisition, async status =>
        {
            var ids = new Dictionary<(string Branch, int Prospect), Guid>();
            var recorded = 0;
            foreach (var branch in plan.Branches)
            {
                for (var i = 0; i < branch.Prospects.Count; i++)
                {
                    var prospect = branch.Prospects[i];
                    status($"{branch.Branch.Code}: prospect {i + 1}/{branch.Prospects.Count}");
                    var prospectId = await api.RecordProspectAsync(prospect, ct);
                    recorded++;
                    if (prospect.Conversion is { } conversion)
                    {
                        ids[(branch.Branch.Code, i)] = await api.ConvertAsync(prospectId, conversion, ct);
                    }
                }
            }
            return (ids, $"{recorded} prospects recorded, {ids.Count} converted to customers");
        }));

        // The core-banking book after the hand-made conversions above (Acquisition is then busy with the
        // feed's events for a while).
        await TimedAsync($"{Care}: base feed", () => CoreBankingDemo.ImportBaseAsync(context, plan.Day, ct));
        // The year of balances is the seed's largest backlog of events: how long Insights takes after its last write.
        var sinceBalancesWritten = Stopwatch.StartNew();

        // The order matters: assignment and offers need the feed's tiers and risk levels; Acquisition
        // needs the feed's CustomerRegistered (its uplift campaign's audience); foot traffic comes
        // before the recent accounts so that walk-ins who open one are credited to the branch.
        await TimedAsync($"{Care}: assignment", () => AssignmentDemo.RunAsync(context, api.CustomerCare, ct));
        await TimedAsync($"{Care}: offers", () => BundlesDemo.RunAsync(context, api.CustomerCare, ct));
        var acquisition = await TimedAsync("acquisition: campaigns and imports", () => new AcquisitionDemo(context, api).RunAsync(plan.Day, ct));
        context.Console.MarkupLine($" acquisition demo (partners, campaigns, prospects {DemoPeople.FirstProspect}..{DemoPeople.LastProspect}) → acquisition … [green]{Markup.Escape(acquisition)}[/]");

        await TimedAsync("foot traffic: visits", () => StepAsync(3, "branch visits", api.FootTraffic, async status =>
        {
            var visits = 0;
            var byCustomers = 0;
            foreach (var branch in plan.Branches)
            {
                foreach (var visit in branch.Visits)
                {
                    status($"{branch.Branch.Code}: ticket {visit.TicketNumber}");
                    Guid? customerId = visit.CustomerProspect is { } p ? customers[(branch.Branch.Code, p)] : null;
                    await api.RecordVisitAsync(visit, customerId, ct);
                    visits++;
                    byCustomers += customerId is null ? 0 : 1;
                }
            }
            return (visits, $"{visits} visits recorded ({byCustomers} by customers, {visits - byCustomers} walk-ins)");
        }));
        await TimedAsync("foot traffic: queue logs and lobby events", () => new TrafficDemoSeeder(context, api).RunAsync(plan.Day, ct));
        await TimedAsync($"{Care}: recent accounts", () => CoreBankingDemo.ImportRecentAccountsAsync(context, plan.Day, ct));
        await TimedAsync($"{Care}: revisits", () => RevisitsDemo.RunAsync(context, api.CustomerCare, ct));
        await TimedAsync($"{Care}: notifications", () => NotificationsDemo.RunAsync(context, api.CustomerCare, api.FootTraffic, ct));
        // The seed's last write to the services (the portal's sign-ins raise no events): how long their backlog of events takes after it.
        var sinceLastWrite = Stopwatch.StartNew();
        var portalFailure = await TimedAsync("portal", () => SignInsStepAsync(4, ct));

        var expected = plan.Branches.ToDictionary(b => b.Branch.Code, b =>
        {
            var before = BranchCounts.Of(baseline.GetValueOrDefault(b.Branch.Code));
            // Assignments are not awaited: only customers at or above the assignment tier get a manager.
            return new BranchCounts(before.Customers + b.Conversions, before.Assignments, before.Visits + b.Visits.Count);
        });
        var stats = await TimedAsync("insights: counts", () => StepAsync(5, "insights catching up (events over RabbitMQ)", api.Insights, status => WaitForInsightsAsync(expected, status, ct)));
        var balances = await TimedAsync("insights: balances stored", async () =>
        {
            var (drained, after) = await WaitForBacklogAsync([sinceLastWrite, sinceBalancesWritten], ct);
            return drained
                ? $"done {after[0].TotalSeconds:0} s after the seed's last write ({after[1].TotalSeconds:0} s after the base feed's balances were imported)"
                : "still waiting: the segmentation is queued anyway";
        });
        context.Console.MarkupLine($" every service's events handled, the year of balances stored → insights … [green]{Markup.Escape(balances)}[/]");
        var previousRun = (await LatestSegmentationRunAsync(ct))?.Id;
        var sinceSegmentationQueued = Stopwatch.StartNew();
        var insights = await TimedAsync("insights: regional totals and segmentation", () => InsightsDemo.RunAsync(api.Insights, plan.Day, ct));
        context.Console.MarkupLine($" insights demo (regional deposits, segmentation) → insights … [green]{Markup.Escape(insights)}[/]");
        var segmented = await TimedAsync("insights: segments handed out", () => WaitForSegmentationAsync(previousRun, sinceSegmentationQueued, ct));
        context.Console.MarkupLine($" segments and their events (customer care, foot traffic, the uplift store) → insights … [green]{Markup.Escape(segmented)}[/]");
        foreach (var line in DemoEffects.Describe(plan.Day))
        {
            context.Console.MarkupLine($" built in: {Markup.Escape(line)}");
        }

        PrintSummary(stats, plan, expected, await api.ListRelationshipManagersAsync(ct));
        if (portalFailure is not null)
        {
            context.Fail(portalFailure.Message);
            return ExitCodes.Failure;
        }
        context.Console.MarkupLine($"[green]Demo network seeded in {total.Elapsed.TotalSeconds:0} s[/]: " + Markup.Escape(string.Join("; ",
            spent.GroupBy(p => p.Key.Split(':')[0]).Select(service => $"{service.Key} {service.Sum(p => p.Value.TotalSeconds):0.0} s" +
                (service.Count() > 1 ? $" ({string.Join(", ", service.Select(p => $"{p.Key.Split(": ")[1]} {p.Value.TotalSeconds:0.0}"))})" : "")))));
        return ExitCodes.Ok;
    }

    private async Task<int> AlreadySeededAsync(List<RelationshipManagerView> existing, CancellationToken ct)
    {
        context.Console.MarkupLine(
            "[yellow]Demo network already seeded[/]: its relationship managers " +
            $"({Markup.Escape(string.Join(", ", DemoNetwork.RelationshipManagers.Select(m => m.StaffId)))}) exist in customer-care. " +
            "Nothing pushed; use [bold]--force[/] to push the demo data again.");
        // Sign-in accounts are an upsert: saving them again is harmless and repairs an earlier run whose portal step failed.
        var portalFailure = await SignInsStepAsync(1, ct, totalSteps: 1);
        var stats = await api.BranchStatisticsAsync(ct);
        PrintSummary(stats, plan: null, expected: null, existing);
        if (portalFailure is not null)
        {
            context.Fail(portalFailure.Message);
            return ExitCodes.Failure;
        }
        return ExitCodes.Ok;
    }

    /// <summary>The portal's sign-in accounts: a failure is reported, but does not stop the steps after it.</summary>
    private async Task<SeedStepException?> SignInsStepAsync(int number, CancellationToken ct, int totalSteps = TotalSteps)
    {
        if (options.SkipPortal)
        {
            context.Console.MarkupLine($" {number}/{totalSteps} sign-in accounts → portal … [grey]skipped (--skip-portal)[/]");
            return null;
        }
        try
        {
            await StepAsync(number, "sign-in accounts", api.Portal, async status =>
            {
                status("waiting for the portal to be ready");
                await WaitForServicesAsync([api.Portal], ct);
                // The regions first: a region head's account names one.
                foreach (var region in DemoNetwork.Regions)
                {
                    status(region.Code);
                    await api.SaveRegionAsync(region, ct);
                }
                foreach (var signIn in DemoNetwork.SignIns)
                {
                    status(signIn.UserName);
                    await api.SaveSignInAsync(signIn, ct);
                }
                return (0, $"{DemoNetwork.Regions.Count} regions, {DemoNetwork.SignIns.Count} sign-ins saved ({string.Join(", ", DemoNetwork.SignIns.Select(s => s.UserName))})");
            }, totalSteps, fatal: false);
            return null;
        }
        catch (SeedStepException e)
        {
            return e;
        }
    }

    private async Task<T> StepAsync<T>(
        int number, string name, ServiceClient service, Func<Action<string>, Task<(T Result, string Summary)>> action,
        int totalSteps = TotalSteps, bool fatal = true)
    {
        var label = $" {number}/{totalSteps} {name} → {service.Service.Key}";
        try
        {
            // A spinner on a terminal; in a log (run.sh) only the line per finished step.
            var (result, summary) = context.Console.Profile.Capabilities.Interactive
                ? await context.Console.Status().StartAsync(Markup.Escape(label + " …"), async status =>
                    await action(detail => status.Status(Markup.Escape($"{label}: {detail}"))))
                : await action(_ => { });
            context.Console.MarkupLine($"{Markup.Escape(label)} … [green]{Markup.Escape(summary)}[/]");
            done.Add(name);
            return result;
        }
        catch (CliException e)
        {
            context.Console.MarkupLine($"{Markup.Escape(label)} … [red]failed[/]");
            var before = done.Count == 0 ? "nothing" : string.Join(", ", done);
            var next = fatal
                ? $" Done before it: {before}. Fix the cause, then run `seed --force` to push the demo network again (or start from empty databases)."
                : " Once the portal runs, `seed` again saves the sign-in accounts (--skip-portal leaves them out).";
            throw new SeedStepException($"Seed step {number}/{totalSteps} '{name}' ({service.Service.Key} at {service.BaseAddress}) failed: {e.Message}{next}", e);
        }
    }

    /// <summary>Bounded wait at the start: the services may still be starting (connection refused, 503).</summary>
    private async Task WaitForServicesAsync(IReadOnlyList<ServiceClient> services, CancellationToken ct)
    {
        using var probe = new ReadinessProbe();
        var targets = services.Select(s => new ReadinessTarget(s.Service, s.BaseAddress)).ToList();
        var lastWaitingFor = "";
        var states = await probe.WaitAsync(targets, options.StartupTimeout, TimeSpan.FromSeconds(1), current =>
        {
            var waiting = current.Where(s => !s.Ready).ToList();
            var waitingFor = string.Join(", ", waiting.Select(s => s.Target.Service.Key));
            if (waiting.Count > 0 && waitingFor != lastWaitingFor)
            {
                context.Warn($"Waiting up to {options.StartupTimeout.TotalSeconds:0} s for {string.Join("; ", waiting.Select(s => $"{s.Target.Service.Key} at {s.Target.BaseAddress} ({s.Detail})"))}…");
            }
            lastWaitingFor = waitingFor;
        }, ct);
        var notReady = states.Where(s => !s.Ready).ToList();
        if (notReady.Count > 0)
        {
            throw new CliException(
                $"Not ready after {options.StartupTimeout.TotalSeconds:0} s: " +
                string.Join("; ", notReady.Select(s => $"{s.Target.Service.Key} ({s.Target.HealthUri}: {s.Detail})")) +
                ". Start the services (./run.sh does), or check their logs.");
        }
    }

    private async Task<(List<BranchStatisticsView>, string)> WaitForInsightsAsync(
        IReadOnlyDictionary<string, BranchCounts> expected, Action<string> status, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var stats = (await api.BranchStatisticsAsync(ct)).ToDictionary(s => s.BranchCode);
            var behind = expected
                .Select(e => (Branch: e.Key, Expected: e.Value, Actual: BranchCounts.Of(stats.GetValueOrDefault(e.Key))))
                .Where(x => !x.Actual.Reached(x.Expected))
                .ToList();
            if (behind.Count == 0)
            {
                return ([.. stats.Values.OrderBy(s => s.BranchCode, StringComparer.Ordinal)], $"caught up after {clock.Elapsed.TotalSeconds:0.0} s");
            }
            var gaps = string.Join("; ", behind.Select(x =>
                $"{x.Branch} customers {x.Actual.Customers}/{x.Expected.Customers}, assignments {x.Actual.Assignments}/{x.Expected.Assignments}, visits {x.Actual.Visits}/{x.Expected.Visits}"));
            if (clock.Elapsed >= options.InsightsTimeout)
            {
                throw new CliException(
                    $"Insights has not caught up after {options.InsightsTimeout.TotalSeconds:0} s: {gaps}. " +
                    "Its counts arrive as events over RabbitMQ: check that RabbitMQ runs, that every service is ready " +
                    "(bankclientele wait-ready), and the *_error queues.");
            }
            status($"{clock.Elapsed.TotalSeconds:0} s: {gaps}");
            await Task.Delay(SeedOptions.PollInterval, ct);
        }
    }

    /// <summary>
    /// Waits until every service has published every event, every queue of every service is empty and the uplift store
    /// has regrouped every branch-day (three polls in a row, as the broker does not count deliveries in flight). The first
    /// segmentation reads the year of balances from Insights' store, which takes a while to fill after the feed (5,800
    /// messages), and would otherwise see part of the year. Gives, for each of <paramref name="since"/>, the time at the
    /// first of the calm polls; false after <see cref="BalancesTimeout"/> (the nightly segmentation sees everything).
    /// </summary>
    private async Task<(bool Drained, TimeSpan[] After)> WaitForBacklogAsync(Stopwatch[] since, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        ServiceClient[] services = [api.CustomerCare, api.Acquisition, api.FootTraffic, api.Insights];
        var calm = 0;
        var after = new TimeSpan[since.Length];
        while (calm < 3)
        {
            long waiting = 0;
            foreach (var service in services)
            {
                var outbox = await service.GetAsync<Hosting.Messaging.OutboxStatus>("/api/bus/outbox", ct);
                var queues = await service.GetAsync<List<Hosting.Messaging.QueueStatus>>("/api/bus/queues", ct);
                waiting += outbox.Unsent + queues.Sum(q => (long)q.Messages);
            }
            // The uplift store's grouped rows follow the stored balances: its branch-days waiting to be regrouped.
            var store = await api.Insights.GetAsync<Insights.Uplift.StoreStatus>("/api/uplift/store", ct);
            waiting += store.PendingDays;
            calm = waiting == 0 ? calm + 1 : 0;
            if (calm == 1)
            {
                after = [.. since.Select(s => s.Elapsed)];
            }
            if (clock.Elapsed >= BalancesTimeout)
            {
                return (false, after);
            }
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
        return (true, after);
    }

    /// <summary>
    /// Waits for the segmentation queued after <paramref name="previousRun"/> to finish and for its events (a segment for
    /// every customer, to Customer Care, Foot Traffic and the uplift store) to be handled, so that every page shows
    /// segments once the seed ends.
    /// </summary>
    private async Task<string> WaitForSegmentationAsync(Guid? previousRun, Stopwatch sinceQueued, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        SegmentationRunSummary? run;
        while ((run = await LatestSegmentationRunAsync(ct)) is null || run.Id == previousRun)
        {
            if (clock.Elapsed >= BalancesTimeout)
            {
                return $"no segmentation run after {clock.Elapsed.TotalSeconds:0} s: the nightly one will segment";
            }
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
        var (drained, after) = await WaitForBacklogAsync([sinceQueued], ct);
        return drained
            ? $"{run.Customers:N0} customers segmented in {run.Seconds:0.0} s, {run.Published:N0} changes published, all handled {after[0].TotalSeconds:0} s after the run was queued"
            : $"{run.Customers:N0} customers segmented; their events still waiting after {BalancesTimeout.TotalMinutes:0} min";
    }

    private async Task<SegmentationRunSummary?> LatestSegmentationRunAsync(CancellationToken ct)
    {
        try
        {
            return await api.Insights.GetAsync<SegmentationRunSummary>("/api/segmentation/runs/latest", ct);
        }
        catch (ServiceCallException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private sealed record SegmentationRunSummary(Guid Id, int Customers, int Published, double Seconds);

    private static readonly TimeSpan BalancesTimeout = TimeSpan.FromMinutes(15);

    private void PrintSummary(
        IReadOnlyList<BranchStatisticsView> stats,
        DemoPlan? plan,
        IReadOnlyDictionary<string, BranchCounts>? expected,
        IReadOnlyList<RelationshipManagerView>? managers = null)
    {
        var byBranch = stats.ToDictionary(s => s.BranchCode);
        var table = new Table().Border(TableBorder.Rounded).Title("Demo branch network (counts from insights)")
            .AddColumn("Branch").AddColumn("Name").AddColumn("Relationship managers");
        if (plan is not null)
        {
            table.AddColumn(new TableColumn("Prospects pushed").RightAligned()).AddColumn(new TableColumn("Converted").RightAligned());
        }
        table.AddColumn(new TableColumn("Customers").RightAligned())
            .AddColumn(new TableColumn("Assignments").RightAligned())
            .AddColumn(new TableColumn("Visits").RightAligned())
            .AddColumn("Updated (UTC+8)");
        foreach (var branch in DemoNetwork.Branches)
        {
            var counts = BranchCounts.Of(byBranch.GetValueOrDefault(branch.Code));
            var target = expected?.GetValueOrDefault(branch.Code);
            string Cell(int actual, int? wanted) =>
                wanted is null || actual >= wanted ? actual.ToString() : $"[red]{actual}[/]/{wanted}";
            var rms = managers is null
                ? DemoNetwork.RelationshipManagers.Where(m => m.BranchCode == branch.Code).Select(m => $"{m.StaffId} {m.Name}")
                : managers.Where(m => m.BranchCode == branch.Code).Select(m => $"{m.StaffId} {m.Name} ({m.CustomerCount}/{m.Capacity})");
            var row = new List<string> { branch.Code, Markup.Escape(branch.Name), Markup.Escape(string.Join("\n", rms)) };
            if (plan?.Branches.FirstOrDefault(b => b.Branch.Code == branch.Code) is { } pushed)
            {
                row.Add(pushed.Prospects.Count.ToString());
                row.Add(pushed.Conversions.ToString());
            }
            else if (plan is not null)
            {
                row.AddRange(["-", "-"]);
            }
            row.Add(Cell(counts.Customers, target?.Customers));
            row.Add(Cell(counts.Assignments, target?.Assignments));
            row.Add(Cell(counts.Visits, target?.Visits));
            row.Add(byBranch.GetValueOrDefault(branch.Code) is { } updated ? BranchClock.ToBranchTime(updated.UpdatedAt).ToString("yyyy-MM-dd HH:mm:ss") : "-");
            table.AddRow([.. row]);
        }
        context.Console.Write(table);

        var signIns = new Table().Border(TableBorder.Rounded)
            .Title($"Demo sign-ins at {Markup.Escape(api.Portal.BaseAddress.ToString())} (password for all: {Markup.Escape(DemoNetwork.Password)})")
            .AddColumn("User name").AddColumn("Password").AddColumn("Role").AddColumn("Name").AddColumn("Staff id").AddColumn("Branch");
        foreach (var s in DemoNetwork.SignIns)
        {
            signIns.AddRow(
                Markup.Escape(s.UserName), Markup.Escape(DemoNetwork.Password), s.Role, Markup.Escape(s.DisplayName),
                Markup.Escape(s.StaffId), s.BranchCode ?? (s.RegionCode is { } region ? Markup.Escape(region) : "[grey](all)[/]"));
        }
        if (options.SkipPortal)
        {
            signIns.Caption("[yellow]not saved by this run (--skip-portal)[/]");
        }
        context.Console.Write(signIns);
    }
}
