using System.Net;
using BankClientele.Insights;
using BankClientele.Insights.BranchStats;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Hosting.Tests.Jobs;

public sealed class RecurringJobTests
{
    [Test]
    public async Task A_recurring_job_registered_by_two_instances_is_stored_once_and_one_firing_runs_once()
    {
        var database = TestServers.DatabaseName("bankclientele_test_insights_jobs");
        await TestDatabases.DropAsync(database);
        await using var first = new ServiceFactory<InsightsDbContext>(database);
        await using var second = new ServiceFactory<InsightsDbContext>(database);
        await first.StartAsync();
        await second.StartAsync();

        var stored = await TestDatabases.ScalarAsync<long>(database,
            $"SELECT count(*) FROM hangfire.set WHERE key = 'recurring-jobs' AND value = '{DailySnapshotJob.RecurringJobId}'");
        Assert.That(stored, Is.EqualTo(1));

        first.Get<IRecurringJobManager>().Trigger(DailySnapshotJob.RecurringJobId);
        // Only the snapshot's jobs count: the uplift store's rebuild fires every two minutes and may land in this window.
        var state = await Poll.UntilAsync(
            () => TestDatabases.ScalarAsync<string>(database,
                $"SELECT coalesce(string_agg(statename, ','), '') FROM hangfire.job WHERE invocationdata::text LIKE '%{nameof(DailySnapshotJob)}%'"),
            s => s == "Succeeded", "the triggered snapshot job to succeed (and be the only snapshot job)");
        Assert.That(state, Is.EqualTo("Succeeded"));
        await using var db = first.NewDbContext();
        Assert.That(await db.SnapshotRuns.CountAsync(), Is.EqualTo(1), "one firing ran once across both instances");
    }

    [Test]
    public async Task The_dashboard_is_for_administrators_only()
    {
        using var anonymous = TestSystem.Insights.CreateClient();
        Assert.That((await anonymous.GetAsync("/hangfire")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));

        using var headOffice = TestSystem.Insights.ClientFor(Tokens.HeadOffice);
        Assert.That((await headOffice.GetAsync("/hangfire")).StatusCode, Is.AnyOf(HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden));

        using var administrator = TestSystem.Insights.ClientFor(Tokens.Administrator);
        var page = await administrator.GetAsync("/hangfire");
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await page.Content.ReadAsStringAsync(), Does.Contain("Hangfire"));
    }
}
