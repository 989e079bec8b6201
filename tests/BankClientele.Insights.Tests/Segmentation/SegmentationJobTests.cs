using System.Net;
using System.Net.Http.Json;
using BankClientele.Contracts.CustomerCare;
using BankClientele.Contracts.Insights;
using BankClientele.Insights.Segmentation;
using Hangfire;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Insights.Tests.Segmentation;

/// <summary>The segmentation over the real PostgreSQL, fed over the real broker, run through its API.</summary>
public sealed class SegmentationJobTests
{
    private static IBus Bus => TestSystem.Insights.Get<IBus>();

    // Far after any other test's balances: the run is as of the latest balance day in the store.
    private static readonly DateOnly LastDay = new(2030, 12, 31);

    [Test]
    public async Task A_run_segments_every_customer_and_a_second_run_publishes_nothing()
    {
        var branch = TestServers.UniqueBranch();
        Guid Id(string kind, int i) => Hosting.Customers.CustomerIds.FromCustomerNumber($"{branch}-{kind}-{i}");
        var registeredAt = new DateTimeOffset(2029, 1, 1, 0, 0, 0, TimeSpan.Zero);
        // Active: money in every week of the year. Lapsed: in for the first ten weeks, then nothing.
        // Occasional: flat all year but for one inflow two weeks ago. New: balances for the last four weeks only.
        var customers = new List<(Guid Id, string Kind)>();
        for (var i = 0; i < 12; i++)
        {
            customers.Add((Id("active", i), "active"));
            customers.Add((Id("lapsed", i), "lapsed"));
            customers.Add((Id("occasional", i), "occasional"));
            customers.Add((Id("new", i), "new"));
        }
        foreach (var (id, kind) in customers)
        {
            var at = kind == "new" ? new DateTimeOffset(LastDay.AddDays(-27).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : registeredAt;
            await Bus.Publish(new CustomerRegistered(id, $"{branch}-{id:N}"[..30], branch, null, null, "Mass", at));
        }
        for (var week = 51; week >= 0; week--)
        {
            var day = LastDay.AddDays(-7 * week);
            var index = 51 - week; // 0 = first week of the year
            // n: each customer's own constant, so only the built-in movements are inflows.
            var balances = customers
                .Select((c, n) => (c.Id, c.Kind, n))
                .Where(c => c.Kind != "new" || week < 4)
                .Select(c => (c.Id, c.Kind, n: (decimal)c.n))
                .Select(c => new CustomerBalance(c.Id, c.Kind switch
                {
                    "active" => 10_000m + 1_000m * index + c.n,
                    "lapsed" => 10_000m + 1_000m * Math.Min(index, 10) + c.n,
                    "occasional" => 10_000m + (week <= 2 ? 5_000m : 0) + c.n,
                    _ => 2_000m + 500m * (3 - week) + c.n,
                }, 0m))
                .ToList();
            await Bus.Publish(DailyBalancesRecorded.Of(branch, day, 1, 1, balances));
        }
        await using var db = TestSystem.Insights.NewDbContext();
        await Poll.UntilAsync(() => db.AnalyticCustomers.CountAsync(c => c.BranchCode == branch), n => n == 48, "the customers");
        await Poll.UntilAsync(() => db.DailyBalances.CountAsync(b => b.BranchCode == branch), n => n == 36 * 52 + 12 * 4, "a year of weekly balances");

        var client = TestSystem.Insights.ClientFor(Tokens.HeadOffice);
        var outboxBefore = await SegmentEventsAsync(db);
        var first = await RunAsync(client);
        var outboxAfterFirst = await SegmentEventsAsync(db);
        Assert.Multiple(() =>
        {
            Assert.That(first.AsOf, Is.EqualTo(LastDay));
            Assert.That(first.Model, Is.EqualTo("bgnbd"));
            Assert.That(first.Published, Is.GreaterThanOrEqualTo(48), "every new customer of this test is published");
            Assert.That(outboxAfterFirst - outboxBefore, Is.EqualTo(first.Published));
        });

        var segments = await db.Set<CustomerSegment>().AsNoTracking().Where(s => s.BranchCode == branch).ToListAsync();
        var kindOf = customers.ToDictionary(c => c.Id, c => c.Kind);
        IEnumerable<CustomerSegment> Of(string kind) => segments.Where(s => kindOf[s.CustomerId] == kind);
        Assert.Multiple(() =>
        {
            Assert.That(segments, Has.Count.EqualTo(48));
            Assert.That(Of("active").Select(s => s.LifecycleStage), Is.All.EqualTo(LifecycleStages.Retain));
            Assert.That(Of("active").Select(s => s.RepeatTransactions), Is.All.EqualTo(51));
            // Quintiles are over the whole store (other tests' customers too): the active ones rank best here.
            Assert.That(Of("active").Min(s => s.RecencyScore), Is.EqualTo(segments.Max(s => s.RecencyScore)));
            // Other tests' customers share the store, so whether lapsed and occasional ones fall into a lower
            // quintile depends on them: the scores may tie at the top, never invert; the raw measures differ.
            Assert.That(Of("active").Min(s => s.RecencyScore), Is.GreaterThanOrEqualTo(Of("lapsed").Max(s => s.RecencyScore)));
            Assert.That(Of("active").Min(s => s.FrequencyScore), Is.GreaterThanOrEqualTo(Of("occasional").Max(s => s.FrequencyScore)));
            Assert.That(Of("active").Select(s => s.DaysSinceLastTransaction), Is.All.EqualTo(0));
            Assert.That(Of("occasional").Max(s => s.RepeatTransactions), Is.LessThan(51));
            Assert.That(Of("lapsed").Select(s => s.LifecycleStage), Is.All.EqualTo(LifecycleStages.Convert));
            Assert.That(Of("lapsed").Select(s => s.DaysSinceLastTransaction), Is.All.EqualTo(41 * 7));
            Assert.That(Of("occasional").Select(s => s.LifecycleStage), Is.All.EqualTo(LifecycleStages.Activate));
            Assert.That(Of("new").Select(s => s.LifecycleStage), Is.All.EqualTo(LifecycleStages.Acquire));
            // The active customers are worth more than the lapsed ones, and alive with more probability.
            Assert.That(Of("active").Min(s => s.Clv), Is.GreaterThan(Of("lapsed").Max(s => s.Clv)));
            Assert.That(Of("active").Min(s => s.ProbabilityAlive), Is.GreaterThan(Of("lapsed").Max(s => s.ProbabilityAlive)));
            Assert.That(segments.Select(s => s.Rfm), Is.EqualTo(segments.Select(s => $"{s.RecencyScore}{s.FrequencyScore}{s.MonetaryScore}")));
        });

        // The event as the relay will publish it: the contract, deserialisable.
        var bodies = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.MessageType == typeof(CustomerSegmentChanged).FullName).Select(m => m.Body).ToListAsync();
        var body = bodies.First(b => b.Contains(customers[0].Id.ToString(), StringComparison.Ordinal));
        var message = System.Text.Json.JsonSerializer.Deserialize<CustomerSegmentChanged>(body, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
        Assert.That(message!.LifecycleStage, Is.EqualTo(LifecycleStages.Retain));
        Assert.That(message.BranchCode, Is.EqualTo(branch));

        // Nothing changed: the second run publishes nothing and rewrites nothing.
        var second = await RunAsync(client);
        Assert.Multiple(async () =>
        {
            Assert.That(second.Published, Is.Zero);
            Assert.That(second.Updated, Is.Zero);
            Assert.That(await SegmentEventsAsync(db), Is.EqualTo(outboxAfterFirst));
        });

        // A customer's segment in scope; another branch's lead does not see it; managers cannot run it.
        var own = await TestSystem.Insights.ClientFor(Tokens.BranchLead(branch)).GetFromJsonAsync<CustomerSegmentView>($"/api/segmentation/customers/{customers[0].Id}");
        Assert.That(own!.LifecycleStage, Is.EqualTo(LifecycleStages.Retain));
        var hidden = await TestSystem.Insights.ClientFor(Tokens.BranchLead(TestServers.UniqueBranch())).GetAsync($"/api/segmentation/customers/{customers[0].Id}");
        Assert.That(hidden.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var forbidden = await TestSystem.Insights.ClientFor(Tokens.RelationshipManager("RM-X", branch)).PostAsync("/api/segmentation/run", null);
        Assert.That(forbidden.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var distribution = await TestSystem.Insights.ClientFor(Tokens.BranchLead(branch)).GetFromJsonAsync<SegmentDistribution>("/api/segmentation/distribution");
        Assert.That(distribution!.Customers, Is.EqualTo(48));
        Assert.That(distribution.ByLifecycleStage.Single(s => s.Segment == LifecycleStages.Retain).Customers, Is.EqualTo(12));
    }

    [Test]
    public async Task A_run_asked_for_in_the_background_is_queued_on_insights_hangfire()
    {
        var response = await TestSystem.Insights.ClientFor(Tokens.Administrator).PostAsync("/api/segmentation/run?background=true", null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var jobId = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("jobId").GetString();
        // Checked in Insights' own job storage (in this test process the four services' Hangfire
        // servers share one process, so which server would execute it is not this test's business).
        var job = TestSystem.Insights.Get<JobStorage>().GetMonitoringApi().JobDetails(jobId);
        Assert.Multiple(() =>
        {
            Assert.That(job.Job.Type, Is.EqualTo(typeof(SegmentationJob)));
            Assert.That(job.Job.Method.Name, Is.EqualTo(nameof(SegmentationJob.RunNightlyAsync)));
        });
        TestSystem.Insights.Get<IBackgroundJobClient>().Delete(jobId);
    }

    private static Task<int> SegmentEventsAsync(Insights.InsightsDbContext db) =>
        db.OutboxMessages.CountAsync(m => m.MessageType == typeof(CustomerSegmentChanged).FullName);

    private static async Task<SegmentationResult> RunAsync(HttpClient client)
    {
        var response = await client.PostAsync("/api/segmentation/run", null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<SegmentationResult>())!;
    }
}
