using System.Net;
using System.Net.Http.Json;
using BankClientele.CustomerCare.Assignment;
using BankClientele.CustomerCare.Managers;
using BankClientele.CustomerCare.Book;
using BankClientele.Insights.BranchStats;
using Hangfire;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.CustomerCare.Tests.Assignment;

/// <summary>Assignment over the real database and broker, through the HTTP API.</summary>
public sealed class AssignmentFlowTests
{
    [Test]
    public async Task A_run_gives_every_eligible_customer_a_manager_within_capacity_and_tells_insights()
    {
        var branch = TestServers.UniqueBranch();
        await TestSystem.Services.AddRelationshipManagerAsync($"{branch}-RM1", branch, capacity: 20);
        await TestSystem.Services.AddRelationshipManagerAsync($"{branch}-RM2", branch, capacity: 20);
        var wealth = await AddCustomersAsync(branch, CustomerTiers.Wealth, 6);        // weight 2
        var privateBanking = await AddCustomersAsync(branch, CustomerTiers.PrivateBanking, 2); // weight 5
        var mass = await AddCustomersAsync(branch, CustomerTiers.Mass, 3);            // below the minimum tier

        using var lead = TestSystem.CustomerCare.ClientFor(Tokens.BranchLead(branch));
        var response = await lead.PostAsync($"/api/assignment/run?branchCode={branch}", null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());

        await using var db = TestSystem.CustomerCare.NewDbContext();
        var managers = await db.Customers.Where(c => c.BranchCode == branch).ToDictionaryAsync(c => c.Id, c => c.RelationshipManagerId);
        var books = await ServiceSystem.GetAsync<List<ManagerBook>>(lead, $"/api/assignment/books?branchCode={branch}");
        Assert.Multiple(() =>
        {
            Assert.That(wealth.Concat(privateBanking).Select(id => managers[id]), Is.All.Not.Null);
            Assert.That(mass.Select(id => managers[id]), Is.All.Null, "below the minimum tier the run leaves customers alone");
            Assert.That(books!.Sum(b => b.Load), Is.EqualTo(6 * 2 + 2 * 5));
            Assert.That(books, Has.All.Matches<ManagerBook>(b => b.Load <= b.Capacity));
            Assert.That(Math.Abs(books![0].Load - books[1].Load), Is.LessThanOrEqualTo(4), "loads are balanced");
        });
        Assert.That(await db.AssignmentChanges.CountAsync(a => a.BranchCode == branch && a.Reason == AssignmentReasons.Unassigned), Is.EqualTo(8));

        using var insights = TestSystem.Insights.ClientFor(Tokens.BranchLead(branch));
        await Poll.UntilAsync(
            async () => (await ServiceSystem.GetAsync<List<BranchStatisticsView>>(insights, "/api/branch-stats"))!.SingleOrDefault(s => s.BranchCode == branch),
            s => s is { Assignments: 8 }, "Insights to count the eight RelationshipManagerAssigned events");

        // Running again changes nothing.
        var again = await (await lead.PostAsync($"/api/assignment/run?branchCode={branch}", null)).Content.ReadFromJsonAsync<List<AssignmentPlan>>();
        Assert.That(again!.Single().Moves, Is.Empty);
    }

    [Test]
    public async Task A_departing_managers_book_is_redistributed_and_each_move_is_published_with_the_previous_manager()
    {
        var branch = TestServers.UniqueBranch();
        await TestSystem.Services.AddRelationshipManagerAsync($"{branch}-GO", branch, capacity: 40);
        await TestSystem.Services.AddRelationshipManagerAsync($"{branch}-STAY1", branch, capacity: 20);
        await TestSystem.Services.AddRelationshipManagerAsync($"{branch}-STAY2", branch, capacity: 20);
        var book = await AddCustomersAsync(branch, CustomerTiers.Wealth, 10, manager: $"{branch}-GO");

        using var lead = TestSystem.CustomerCare.ClientFor(Tokens.BranchLead(branch));
        var response = await lead.PostAsync($"/api/relationship-managers/{branch}-GO/departure", null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var plan = await response.Content.ReadFromJsonAsync<AssignmentPlan>();
        Assert.That(plan!.Moves, Has.Count.EqualTo(10));
        Assert.That(plan.Moves, Has.All.Matches<PlannedMove>(m => m.Reason == AssignmentReasons.ManagerLeft && m.FromManagerId == $"{branch}-GO"));

        await using var db = TestSystem.CustomerCare.NewDbContext();
        var managers = await db.Customers.Where(c => book.Contains(c.Id)).Select(c => c.RelationshipManagerId).ToListAsync();
        Assert.Multiple(() =>
        {
            Assert.That(managers, Has.None.EqualTo($"{branch}-GO"));
            Assert.That(managers.Count(m => m == $"{branch}-STAY1"), Is.EqualTo(5), "20 units spread evenly over two managers");
            Assert.That(managers.Count(m => m == $"{branch}-STAY2"), Is.EqualTo(5));
        });
        var published = await TestDatabases.ScalarAsync<long>(TestSystem.CustomerCare.Database,
            $"SELECT count(*) FROM outbox_messages WHERE body->>'branchCode' = '{branch}' AND body->>'reason' = 'manager-left' " +
            $"AND body->>'previousRelationshipManagerId' = '{branch}-GO'");
        Assert.That(published, Is.EqualTo(10));
        var versions = await db.Customers.Where(c => book.Contains(c.Id)).Select(c => c.AssignmentVersion).ToListAsync();
        var publishedVersions = await TestDatabases.ScalarAsync<long>(TestSystem.CustomerCare.Database,
            $"SELECT count(*) FROM outbox_messages WHERE body->>'branchCode' = '{branch}' AND body->>'reason' = 'manager-left' AND (body->>'version')::bigint = 1");
        Assert.Multiple(() =>
        {
            Assert.That(versions, Is.All.EqualTo(1L), "one change of manager each: version 1");
            Assert.That(publishedVersions, Is.EqualTo(10), "each event carries the version its change made");
        });
        var history = await ServiceSystem.GetAsync<List<AssignmentChangeView>>(lead, $"/api/customers/{book[0]}/assignment-history");
        Assert.That(history!.Single().FromManagerId, Is.EqualTo($"{branch}-GO"));

        using var insights = TestSystem.Insights.ClientFor(Tokens.BranchLead(branch));
        await Poll.UntilAsync(
            async () => (await ServiceSystem.GetAsync<List<BranchStatisticsView>>(insights, "/api/branch-stats"))!.SingleOrDefault(s => s.BranchCode == branch),
            s => s is { Assignments: 10 }, "the ten moves to reach Insights over the broker");
    }

    [Test]
    public async Task Reassigning_to_a_manager_at_capacity_is_a_409_and_changes_nothing()
    {
        var branch = TestServers.UniqueBranch();
        await TestSystem.Services.AddRelationshipManagerAsync($"{branch}-FULL", branch, capacity: 4);
        await TestSystem.Services.AddRelationshipManagerAsync($"{branch}-ROOM", branch, capacity: 10);
        await AddCustomersAsync(branch, CustomerTiers.Wealth, 2, manager: $"{branch}-FULL"); // 4 of 4 units
        var customer = (await AddCustomersAsync(branch, CustomerTiers.Wealth, 1, manager: $"{branch}-ROOM")).Single();

        using var lead = TestSystem.CustomerCare.ClientFor(Tokens.BranchLead(branch));
        var refused = await lead.PostAsJsonAsync($"/api/customers/{customer}/reassignment", new Reassign($"{branch}-FULL", "客户要求"));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var problem = await refused.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.That(problem!.Title, Is.EqualTo("Manager at capacity"));

        await using var db = TestSystem.CustomerCare.NewDbContext();
        Assert.That((await db.Customers.SingleAsync(c => c.Id == customer)).RelationshipManagerId, Is.EqualTo($"{branch}-ROOM"));

        // Room made by raising the capacity: the same request goes through, with its reason kept.
        await TestSystem.Services.AddRelationshipManagerAsync($"{branch}-FULL", branch, capacity: 6);
        var accepted = await lead.PostAsJsonAsync($"/api/customers/{customer}/reassignment", new Reassign($"{branch}-FULL", "客户要求"));
        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK), await accepted.Content.ReadAsStringAsync());
        var history = await ServiceSystem.GetAsync<List<AssignmentChangeView>>(lead, $"/api/customers/{customer}/assignment-history");
        Assert.That(history!.Single(), Has.Property("Reason").EqualTo("manual").And.Property("Note").EqualTo("客户要求")
            .And.Property("FromManagerId").EqualTo($"{branch}-ROOM"));

        var blank = await lead.PostAsJsonAsync($"/api/customers/{customer}/reassignment", new { relationshipManagerId = $"{branch}-ROOM", reason = "" });
        Assert.That(blank.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await blank.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys, Has.Some.EqualTo("Reason").IgnoreCase);
    }

    [Test]
    public async Task A_preview_says_what_would_move_and_why_and_apply_does_exactly_that()
    {
        var branch = TestServers.UniqueBranch();
        await TestSystem.Services.AddRelationshipManagerAsync($"{branch}-BUSY", branch, capacity: 20);
        await TestSystem.Services.AddRelationshipManagerAsync($"{branch}-IDLE", branch, capacity: 20);
        await AddCustomersAsync(branch, CustomerTiers.Wealth, 10, manager: $"{branch}-BUSY"); // 20 of 20, the other empty

        using var lead = TestSystem.CustomerCare.ClientFor(Tokens.BranchLead(branch));
        var preview = await ServiceSystem.GetAsync<AssignmentPlan>(lead, $"/api/assignment/preview?branchCode={branch}");
        Assert.That(preview!.Moves, Is.Not.Empty);
        Assert.That(preview.Moves, Has.All.Matches<PlannedMove>(m => m.Reason == AssignmentReasons.Rebalance && m.ToManagerId == $"{branch}-IDLE"));
        await using (var db = TestSystem.CustomerCare.NewDbContext())
        {
            Assert.That(await db.Customers.CountAsync(c => c.RelationshipManagerId == $"{branch}-IDLE"), Is.Zero, "a preview changes nothing");
        }

        var applied = await (await lead.PostAsync($"/api/assignment/apply?branchCode={branch}", null)).Content.ReadFromJsonAsync<AssignmentPlan>();
        Assert.That(applied!.Moves.Select(m => m.CustomerId), Is.EquivalentTo(preview.Moves.Select(m => m.CustomerId)));
        Assert.That(applied.CostGap, Is.Zero, "whole customers of one weight: the flow is integral");
        await using (var db = TestSystem.CustomerCare.NewDbContext())
        {
            Assert.That(await db.Customers.CountAsync(c => c.RelationshipManagerId == $"{branch}-IDLE"), Is.EqualTo(preview.Moves.Count));
        }
        var next = await ServiceSystem.GetAsync<AssignmentPlan>(lead, $"/api/assignment/preview?branchCode={branch}");
        Assert.That(next!.Moves, Is.Empty, "once applied, continuity keeps everyone where they are");
    }

    [Test]
    public async Task A_lead_cannot_assign_or_reassign_in_another_branch_and_a_manager_cannot_assign_at_all()
    {
        var branch = TestServers.UniqueBranch();
        await TestSystem.Services.AddRelationshipManagerAsync($"{branch}-RM1", branch, capacity: 20);
        var customer = (await AddCustomersAsync(branch, CustomerTiers.Wealth, 1, manager: $"{branch}-RM1")).Single();

        using var otherLead = TestSystem.CustomerCare.ClientFor(Tokens.BranchLead(TestServers.UniqueBranch()));
        Assert.That((await otherLead.GetAsync($"/api/assignment/preview?branchCode={branch}")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await otherLead.PostAsync($"/api/assignment/apply?branchCode={branch}", null)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await otherLead.PostAsJsonAsync($"/api/customers/{customer}/reassignment", new Reassign($"{branch}-RM1", "试一下"))).StatusCode,
            Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await otherLead.PostAsync($"/api/relationship-managers/{branch}-RM1/departure", null)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        using var manager = TestSystem.CustomerCare.ClientFor(Tokens.RelationshipManager($"{branch}-RM1", branch));
        Assert.That((await manager.GetAsync($"/api/assignment/preview?branchCode={branch}")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        using var lead = TestSystem.CustomerCare.ClientFor(Tokens.BranchLead(branch));
        var missing = await lead.GetAsync("/api/assignment/preview");
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await missing.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys, Has.Some.EqualTo("branchCode"));
    }

    [Test]
    public async Task Deactivating_a_manager_returns_their_book_to_the_pool_and_publishes_an_unassignment_per_customer()
    {
        var branch = TestServers.UniqueBranch();
        await TestSystem.Services.AddRelationshipManagerAsync($"{branch}-GONE", branch, capacity: 40);
        var book = await AddCustomersAsync(branch, CustomerTiers.Wealth, 3, manager: $"{branch}-GONE");

        using var admin = TestSystem.CustomerCare.ClientFor(Tokens.Administrator);
        var response = await admin.PostAsync($"/api/staff/{branch}-GONE/deactivation", null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That((await admin.PostAsync($"/api/staff/{branch}-GONE/deactivation", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK), "twice");

        await using var db = TestSystem.CustomerCare.NewDbContext();
        var customers = await db.Customers.AsNoTracking().Where(c => book.Contains(c.Id)).ToListAsync();
        var published = await TestDatabases.ScalarAsync<long>(TestSystem.CustomerCare.Database,
            "SELECT count(*) FROM outbox_messages WHERE message_type = 'BankClientele.Contracts.CustomerCare.RelationshipManagerUnassigned' " +
            $"AND body->>'branchCode' = '{branch}' AND body->>'previousRelationshipManagerId' = '{branch}-GONE' " +
            "AND body->>'reason' = 'manager-left' AND (body->>'version')::bigint = 1");
        Assert.Multiple(() =>
        {
            Assert.That(customers.Select(c => c.RelationshipManagerId), Is.All.Null, "back to the branch pool");
            Assert.That(customers.Select(c => c.AssignmentVersion), Is.All.EqualTo(1L), "one change each, though deactivated twice");
            Assert.That(published, Is.EqualTo(3), "one RelationshipManagerUnassigned per customer, in the outbox with the change");
        });
    }

    [Test]
    public async Task The_nightly_job_picks_up_customers_sent_back_to_the_branch_pool_but_managers_on_leave_get_none()
    {
        var branch = TestServers.UniqueBranch();
        await TestSystem.Services.AddRelationshipManagerAsync($"{branch}-AWAY", branch, capacity: 20);
        await TestSystem.Services.AddRelationshipManagerAsync($"{branch}-HERE", branch, capacity: 20);
        using (var admin = TestSystem.CustomerCare.ClientFor(Tokens.HeadOffice))
        {
            var onLeave = await admin.PutAsJsonAsync("/api/relationship-managers",
                new SaveRelationshipManager($"{branch}-AWAY", "休假中", branch, 20, ManagerStatus.OnLeave));
            Assert.That(onLeave.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        var pool = await AddCustomersAsync(branch, CustomerTiers.HighNetWorth, 3); // 公海: no manager

        TestSystem.CustomerCare.Get<IRecurringJobManager>().Trigger(AssignmentJob.RecurringJobId);
        await using var db = TestSystem.CustomerCare.NewDbContext();
        var managers = await Poll.UntilAsync(
            () => db.Customers.AsNoTracking().Where(c => pool.Contains(c.Id)).Select(c => c.RelationshipManagerId).ToListAsync(),
            m => m.All(x => x is not null), "the nightly job to assign the pool");
        Assert.That(managers, Is.All.EqualTo($"{branch}-HERE"));
    }

    private static async Task<List<Guid>> AddCustomersAsync(string branch, string tier, int count, string? manager = null)
    {
        // The core-banking feed (care1) fills the book in production; here the rows go straight in.
        await using var db = TestSystem.CustomerCare.NewDbContext();
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var id = Guid.NewGuid();
            ids.Add(id);
            db.Customers.Add(new Customer
            {
                Id = id,
                CustomerNumber = $"T{id:N}"[..20],
                FullName = "王小明",
                Phone = "13800001111",
                BranchCode = branch,
                AccountNumber = $"6222{i:D12}",
                Tier = tier,
                AverageAssets = 1_000_000m + i,
                RelationshipManagerId = manager,
                JoinedAt = DateTimeOffset.UtcNow,
            });
        }
        await db.SaveChangesAsync();
        return ids;
    }
}
