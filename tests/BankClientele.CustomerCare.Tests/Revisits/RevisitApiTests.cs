using System.Net;
using System.Net.Http.Json;
using BankClientele.Contracts.FootTraffic;
using BankClientele.CustomerCare.Book;
using BankClientele.CustomerCare.Revisits;
using MassTransit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using static BankClientele.CustomerCare.Tests.Revisits.RevisitData;

namespace BankClientele.CustomerCare.Tests.Revisits;

/// <summary>Revisits through the API and the real broker: the agenda, events that open revisits, logging a visit, scoping.</summary>
public sealed class RevisitApiTests
{
    [Test]
    public async Task A_new_assignment_over_the_bus_opens_a_welcome_visit_on_the_managers_agenda()
    {
        var branch = TestServers.UniqueBranch();
        await TestSystem.Services.AddRelationshipManagerAsync($"{branch}-RM1", branch);
        var customerId = await TestSystem.Services.NewCustomerAsync(branch, "赵六");

        using var rm = TestSystem.CustomerCare.ClientFor(Tokens.RelationshipManager($"{branch}-RM1", branch));
        var agenda = await Poll.UntilAsync(() => ServiceSystem.GetAsync<AgendaView>(rm, "/api/agenda"),
            a => a!.Upcoming.Any(r => r.CustomerId == customerId), "the welcome visit on the agenda");
        var welcome = agenda!.Upcoming.Single(r => r.CustomerId == customerId);
        Assert.Multiple(() =>
        {
            Assert.That(welcome.Reason, Is.EqualTo(RevisitReasons.Welcome));
            Assert.That(welcome.DueOn, Is.EqualTo(Today.AddDays(3)));
            Assert.That(welcome.CustomerName, Is.EqualTo("赵*"), "masked");
        });
    }

    /// <summary>
    /// A burst of assignments (as an assignment run sends them), then one of reassignments: one welcome visit per
    /// customer, from the first, and the open visits follow the customers to their new manager.
    /// </summary>
    [Test]
    public async Task A_burst_of_assignments_opens_one_welcome_visit_each_and_a_reassignment_moves_it()
    {
        var branch = TestServers.UniqueBranch();
        var customers = Enumerable.Range(0, 150).Select(_ => Guid.NewGuid()).ToList();
        var at = DateTimeOffset.UtcNow;
        var bus = TestSystem.CustomerCare.Get<IBus>();
        await using var db = TestSystem.CustomerCare.NewDbContext();
        Task<int> WithManagerAsync(string manager) => db.Revisits.CountAsync(r => r.BranchCode == branch && r.RelationshipManagerId == manager);

        foreach (var customer in customers)
        {
            await bus.Publish(new Contracts.CustomerCare.RelationshipManagerAssigned(customer, $"{branch}-RM1", branch, at, Reason: "assignment"));
        }
        await Poll.UntilAsync(() => WithManagerAsync($"{branch}-RM1"), n => n == customers.Count, "a welcome visit for each customer");
        foreach (var customer in customers)
        {
            await bus.Publish(new Contracts.CustomerCare.RelationshipManagerAssigned(customer, $"{branch}-RM2", branch, at.AddMinutes(1),
                PreviousRelationshipManagerId: $"{branch}-RM1", Reason: "rebalance"));
        }
        await Poll.UntilAsync(() => WithManagerAsync($"{branch}-RM2"), n => n == customers.Count, "the visits moved to the new manager");

        var visits = await db.Revisits.AsNoTracking().Where(r => r.BranchCode == branch).ToListAsync();
        Assert.Multiple(() =>
        {
            Assert.That(visits.Select(v => v.CustomerId), Is.EquivalentTo(customers), "one visit per customer");
            Assert.That(visits.All(v => v.Reason == RevisitReasons.Welcome && v.Status == RevisitStatuses.Open && v.Detail == "new manager"), Is.True);
            Assert.That(visits.All(v => v.DueOn == BankClientele.Hosting.Time.BranchClock.DayOf(at).AddDays(3)), Is.True);
        });
    }

    /// <summary>
    /// Two assignments of a customer now with RM2 (version 2), delivered in both orders: the open revisits go to the
    /// manager CustomerCare's customers table names, so both orders end with RM2 and the stale v1, last, moves nothing back.
    /// </summary>
    [Test]
    public async Task Open_revisits_follow_the_customers_current_manager_whatever_order_assignments_arrive_in()
    {
        var branch = TestServers.UniqueBranch();
        var (rm1, rm2) = ($"{branch}-RM1", $"{branch}-RM2");
        var at = DateTimeOffset.UtcNow;
        async Task<List<string?>> DeliverAsync(bool newerFirst)
        {
            Guid customer;
            await using (var setup = TestSystem.CustomerCare.NewDbContext())
            {
                customer = await CustomerAsync(setup, branch, rm2, CustomerTiers.Wealth);
            }
            var v1 = new Contracts.CustomerCare.RelationshipManagerAssigned(customer, rm1, branch, at, null, "new-customer", 1);
            var v2 = new Contracts.CustomerCare.RelationshipManagerAssigned(customer, rm2, branch, at.AddMinutes(1), rm1, "rebalance", 2);
            var managers = new List<string?>();
            foreach (var message in newerFirst ? new[] { v2, v1 } : [v1, v2])
            {
                await TestSystem.CustomerCare.DeliverInOrderAsync(nameof(WelcomeVisitConsumer), message);
                await using var db = TestSystem.CustomerCare.NewDbContext();
                managers.Add(await db.Revisits.AsNoTracking().Where(r => r.CustomerId == customer && r.Status == RevisitStatuses.Open)
                    .Select(r => r.RelationshipManagerId).SingleAsync());
            }
            return managers;
        }

        var inOrder = await DeliverAsync(newerFirst: false);
        var reversed = await DeliverAsync(newerFirst: true);
        Assert.Multiple(() =>
        {
            Assert.That(inOrder, Is.EqualTo(new[] { rm2, rm2 }), "the customer's manager, not the message's");
            Assert.That(reversed, Is.EqualTo(inOrder), "the same in either order; the stale v1 changed nothing");
        });
    }

    [Test]
    public async Task A_high_value_check_in_is_a_lobby_alert_for_the_manager_within_seconds()
    {
        var branch = TestServers.UniqueBranch();
        var manager = $"{branch}-RM1";
        Guid customerId;
        await using (var db = TestSystem.CustomerCare.NewDbContext())
        {
            customerId = await CustomerAsync(db, branch, manager, CustomerTiers.PrivateBanking, name: "钱多多");
        }
        var checkIn = new HighValueCustomerCheckedIn(Guid.NewGuid(), customerId, branch, CustomerTiers.PrivateBanking, "大额存取", DateTimeOffset.UtcNow);
        await TestSystem.FootTraffic.Get<IBus>().Publish(checkIn);

        using var rm = TestSystem.CustomerCare.ClientFor(Tokens.RelationshipManager(manager, branch));
        var agenda = await Poll.UntilAsync(() => ServiceSystem.GetAsync<AgendaView>(rm, "/api/agenda"),
            a => a!.LobbyAlerts.Count > 0, "the lobby alert", timeout: TimeSpan.FromSeconds(10));
        var alert = agenda!.LobbyAlerts.Single();
        Assert.Multiple(() =>
        {
            Assert.That(alert.CustomerId, Is.EqualTo(customerId));
            Assert.That(alert.CustomerName, Is.EqualTo("钱**"));
            Assert.That(alert.ServiceType, Is.EqualTo("大额存取"));
        });
        using var other = TestSystem.CustomerCare.ClientFor(Tokens.RelationshipManager($"{branch}-RM2", branch));
        Assert.That((await ServiceSystem.GetAsync<AgendaView>(other, "/api/agenda"))!.LobbyAlerts, Is.Empty, "another manager's customer");
    }

    [Test]
    public async Task A_lobby_event_invitation_of_a_customer_becomes_a_revisit_task_once()
    {
        var branch = TestServers.UniqueBranch();
        var manager = $"{branch}-RM1";
        Guid customerId, lateGuestId;
        await using (var db = TestSystem.CustomerCare.NewDbContext())
        {
            customerId = await CustomerAsync(db, branch, manager, CustomerTiers.Wealth);
            lateGuestId = await CustomerAsync(db, branch, manager, CustomerTiers.Wealth);
        }
        // 15:00 in Beijing, sent in UTC (07:00) as every instant on the bus: the call's detail reads the branch's time.
        var startsAt = BankClientele.Hosting.Time.BranchClock.At(Today.AddDays(5), 15).ToUniversalTime();
        var invitation = new LobbyEventInvitationIssued(Guid.NewGuid(), Guid.NewGuid(), branch, "养老规划沙龙", startsAt, startsAt.AddHours(2),
            customerId, null, DateTimeOffset.UtcNow);
        var bus = TestSystem.FootTraffic.Get<IBus>();
        await bus.Publish(invitation);
        await bus.Publish(invitation with { InvitationId = Guid.NewGuid() }); // a second invitation: still one open task
        // And an invitation to an event already over (a guest list filled in afterwards): nothing to call about.
        var lateMessageId = Guid.NewGuid();
        await bus.Publish(invitation with { InvitationId = Guid.NewGuid(), LobbyEventId = Guid.NewGuid(), CustomerId = lateGuestId,
            StartsAt = DateTimeOffset.UtcNow.AddDays(-40), EndsAt = DateTimeOffset.UtcNow.AddDays(-40).AddHours(2) }, c => c.MessageId = lateMessageId);

        using var rm = TestSystem.CustomerCare.ClientFor(Tokens.RelationshipManager(manager, branch));
        var revisits = await Poll.UntilAsync(() => ServiceSystem.GetAsync<List<RevisitView>>(rm, $"/api/revisits?customerId={customerId}"),
            r => r!.Count > 0, "the lobby-event revisit");
        await using var check = TestSystem.CustomerCare.NewDbContext();
        await Poll.UntilAsync(() => check.InboxMessages.CountAsync(m => m.Consumer == nameof(LobbyEventInvitationConsumer) && m.ReceivedAt > startsAt.AddDays(-6)),
            n => n >= 2, "both invitations consumed");
        await Poll.UntilAsync(() => check.InboxMessages.CountAsync(m => m.MessageId == lateMessageId), n => n == 1, "the late invitation consumed");
        Assert.That(await ServiceSystem.GetAsync<List<RevisitView>>(rm, $"/api/revisits?customerId={lateGuestId}"), Is.Empty, "no call for an event already over");
        revisits = await ServiceSystem.GetAsync<List<RevisitView>>(rm, $"/api/revisits?customerId={customerId}");
        var task = revisits!.Single();
        Assert.Multiple(() =>
        {
            Assert.That(task.Reason, Is.EqualTo(RevisitReasons.LobbyEvent));
            Assert.That(task.Detail, Is.EqualTo($"养老规划沙龙 {Today.AddDays(5):yyyy-MM-dd} 15:00"), "the event's start in Beijing time");
            Assert.That(task.DueOn, Is.EqualTo(BankClientele.Hosting.Time.BranchClock.DayOf(startsAt).AddDays(-1)), "a call the day before");
        });
    }

    [Test]
    public async Task Logging_a_visit_publishes_RevisitCompleted_once_and_schedules_the_follow_up()
    {
        var branch = TestServers.UniqueBranch();
        var manager = $"{branch}-RM1";
        Guid customerId, revisitId;
        await using (var db = TestSystem.CustomerCare.NewDbContext())
        {
            customerId = await CustomerAsync(db, branch, manager, CustomerTiers.HighNetWorth);
            revisitId = await OpenRevisitAsync(db, customerId, branch, manager, RevisitReasons.Maturity, Today.AddDays(2));
        }
        using var rm = TestSystem.CustomerCare.ClientFor(Tokens.RelationshipManager(manager, branch));
        var log = new CompleteRevisit("phone", "renewed-time-deposit", "客户同意续存一年", Today.AddDays(30));
        var response = await rm.PostAsJsonAsync($"/api/revisits/{revisitId}/completion", log);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var done = await response.Content.ReadFromJsonAsync<RevisitView>();
        Assert.That(done, Has.Property(nameof(RevisitView.Status)).EqualTo(RevisitStatuses.Completed).And.Property(nameof(RevisitView.OnTime)).EqualTo(true));

        var again = await rm.PostAsJsonAsync($"/api/revisits/{revisitId}/completion", log);
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "logged once");

        var sent = await Poll.UntilAsync(() => TestDatabases.ScalarAsync<long>(TestSystem.CustomerCare.Database,
                $"SELECT count(*) FROM outbox_messages WHERE body::jsonb->>'revisitId' = '{revisitId}' AND sent_at IS NOT NULL"),
            n => n > 0, "RevisitCompleted to be published");
        Assert.That(sent, Is.EqualTo(1));
        Assert.That(await TestDatabases.ScalarAsync<string>(TestSystem.CustomerCare.Database,
            $"SELECT (body::jsonb->>'onTime') || '/' || (body::jsonb->>'channel') FROM outbox_messages WHERE body::jsonb->>'revisitId' = '{revisitId}'"), Is.EqualTo("true/phone"));

        var history = await ServiceSystem.GetAsync<List<RevisitView>>(rm, $"/api/revisits?customerId={customerId}");
        var next = history!.Single(r => r.Status == RevisitStatuses.Open);
        Assert.Multiple(() =>
        {
            // Both halves of the customer's history (read by two partial indexes): the visit done and the next one.
            Assert.That(history!.Select(r => r.Status), Is.EquivalentTo(new[] { RevisitStatuses.Completed, RevisitStatuses.Open }));
            Assert.That(next.Reason, Is.EqualTo(RevisitReasons.Scheduled));
            Assert.That(next.DueOn, Is.EqualTo(Today.AddDays(30)), "the follow-up date is the next revisit");
        });

        using var lead = TestSystem.CustomerCare.ClientFor(Tokens.BranchLead(branch));
        var rates = await ServiceSystem.GetAsync<OnTimeView>(lead, $"/api/revisits/on-time?to={Today.AddDays(10):yyyy-MM-dd}");
        Assert.Multiple(() =>
        {
            Assert.That(rates!.Managers.Single(), Has.Property(nameof(OnTimeRate.Key)).EqualTo(manager).And.Property(nameof(OnTimeRate.Rate)).EqualTo(1.0));
            Assert.That(rates.Branches.Single().BranchCode, Is.EqualTo(branch), "a lead sees their own branch only");
        });
    }

    [Test]
    public async Task A_manager_can_neither_see_nor_log_another_managers_revisit()
    {
        var branch = TestServers.UniqueBranch();
        Guid revisitId;
        await using (var db = TestSystem.CustomerCare.NewDbContext())
        {
            var customerId = await CustomerAsync(db, branch, $"{branch}-RM1", CustomerTiers.Wealth);
            revisitId = await OpenRevisitAsync(db, customerId, branch, $"{branch}-RM1", RevisitReasons.Scheduled, Today);
        }
        using var other = TestSystem.CustomerCare.ClientFor(Tokens.RelationshipManager($"{branch}-RM2", branch));
        Assert.That((await ServiceSystem.GetAsync<AgendaView>(other, "/api/agenda"))!.Today, Is.Empty);
        Assert.That(await ServiceSystem.GetAsync<List<RevisitView>>(other, $"/api/revisits?staffId={branch}-RM1"), Is.Empty);
        var log = await other.PostAsJsonAsync($"/api/revisits/{revisitId}/completion", new CompleteRevisit("branch", "met", null, null));
        Assert.That(log.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        using var otherLead = TestSystem.CustomerCare.ClientFor(Tokens.BranchLead(TestServers.UniqueBranch()));
        Assert.That((await ServiceSystem.GetAsync<AgendaView>(otherLead, $"/api/agenda?staffId={branch}-RM1"))!.Today, Is.Empty, "a lead of another branch");
        using var owner = TestSystem.CustomerCare.ClientFor(Tokens.RelationshipManager($"{branch}-RM1", branch));
        Assert.That((await ServiceSystem.GetAsync<AgendaView>(owner, "/api/agenda"))!.Today.Single().Id, Is.EqualTo(revisitId));
    }

    [Test]
    public async Task An_unknown_channel_is_a_problem_naming_the_field_and_changes_nothing()
    {
        var branch = TestServers.UniqueBranch();
        var manager = $"{branch}-RM1";
        Guid revisitId;
        await using (var db = TestSystem.CustomerCare.NewDbContext())
        {
            var customerId = await CustomerAsync(db, branch, manager, CustomerTiers.Wealth);
            revisitId = await OpenRevisitAsync(db, customerId, branch, manager, RevisitReasons.Scheduled, Today);
        }
        using var rm = TestSystem.CustomerCare.ClientFor(Tokens.RelationshipManager(manager, branch));
        var response = await rm.PostAsJsonAsync($"/api/revisits/{revisitId}/completion", new CompleteRevisit("fax", "met", null, null));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>();
        Assert.That(problem!.Errors.Keys, Is.EquivalentTo(new[] { "channel" }));

        var noOutcome = await rm.PostAsJsonAsync($"/api/revisits/{revisitId}/completion", new { channel = "phone" });
        Assert.That(noOutcome.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await noOutcome.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys, Has.Some.EqualTo("Outcome").IgnoreCase);

        var pastFollowUp = await rm.PostAsJsonAsync($"/api/revisits/{revisitId}/completion", new CompleteRevisit("phone", "met", null, Today.AddDays(-1)));
        Assert.That((await pastFollowUp.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys, Is.EquivalentTo(new[] { "nextFollowUpOn" }));

        var backdated = await rm.PostAsJsonAsync($"/api/revisits/{revisitId}/completion", new CompleteRevisit("phone", "met", null, null, Today.AddDays(-3)));
        Assert.That((await backdated.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys, Is.EquivalentTo(new[] { "completedOn" }), "only administrators backdate");

        await using var check = TestSystem.CustomerCare.NewDbContext();
        Assert.That((await check.Revisits.AsNoTracking().SingleAsync(r => r.Id == revisitId)).Status, Is.EqualTo(RevisitStatuses.Open));
    }

    [Test]
    public async Task An_unscheduled_visit_is_logged_done_and_its_next_step_is_the_follow_up_on_the_agenda()
    {
        var branch = TestServers.UniqueBranch();
        var manager = $"{branch}-RM1";
        Guid customerId;
        Guid otherManagers;
        await using (var db = TestSystem.CustomerCare.NewDbContext())
        {
            customerId = await CustomerAsync(db, branch, manager, CustomerTiers.Wealth, name: "欧阳锋");
            otherManagers = await CustomerAsync(db, branch, $"{branch}-RM2", CustomerTiers.Wealth, name: "黄药师");
        }
        using var rm = TestSystem.CustomerCare.ClientFor(Tokens.RelationshipManager(manager, branch));

        // Found by name in the book (masked in the answer), only among the manager's own customers.
        var found = await ServiceSystem.GetAsync<List<CustomerView>>(rm, "/api/customers?search=" + Uri.EscapeDataString("欧阳"));
        Assert.That(found!.Select(c => (c.Id, c.FullName)), Is.EqualTo(new[] { (customerId, "欧**") }));
        Assert.That(await ServiceSystem.GetAsync<List<CustomerView>>(rm, "/api/customers?search=" + Uri.EscapeDataString("黄药")), Is.Empty);

        var followUp = Today.AddDays(3);
        var logged = await rm.PostAsJsonAsync("/api/revisits", new LogVisit(customerId, "wechat", "客户来电咨询理财", "想了解养老理财", followUp, "送养老理财资料"));
        Assert.That(logged.StatusCode, Is.EqualTo(HttpStatusCode.Created), await logged.Content.ReadAsStringAsync());
        var visit = (await logged.Content.ReadFromJsonAsync<RevisitView>())!;
        Assert.Multiple(() =>
        {
            Assert.That(visit.Reason, Is.EqualTo(RevisitReasons.Unscheduled));
            Assert.That(visit.Status, Is.EqualTo(RevisitStatuses.Completed));
            Assert.That(visit.Channel, Is.EqualTo("wechat"));
            Assert.That(visit.OnTime, Is.True);
        });
        var agenda = await ServiceSystem.GetAsync<AgendaView>(rm, "/api/agenda");
        var next = agenda!.Upcoming.Single(r => r.CustomerId == customerId);
        Assert.Multiple(() =>
        {
            Assert.That(next.DueOn, Is.EqualTo(followUp));
            Assert.That(next.Reason, Is.EqualTo(RevisitReasons.Scheduled));
            Assert.That(next.Detail, Is.EqualTo("送养老理财资料"), "the next step names the follow-up");
        });

        // Someone else's customer is not among "yours"; bad input names its field.
        var foreign = await rm.PostAsJsonAsync("/api/revisits", new LogVisit(otherManagers, "phone", "来电", null, null));
        Assert.That(foreign.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await foreign.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys, Is.EquivalentTo(new[] { "customerId" }));
        var bad = await rm.PostAsJsonAsync("/api/revisits", new LogVisit(customerId, "pigeon", "来电", null, Today));
        Assert.That((await bad.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys, Is.EquivalentTo(new[] { "channel", "nextFollowUpOn" }));
    }
}
