using System.Net;
using System.Net.Http.Json;
using BankClientele.Contracts.FootTraffic;
using BankClientele.CustomerCare.Book;
using BankClientele.CustomerCare.Notifications;
using BankClientele.CustomerCare.Revisits;
using BankClientele.Hosting.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Mvc;
using static BankClientele.CustomerCare.Tests.Revisits.RevisitData;

namespace BankClientele.CustomerCare.Tests.Notifications;

/// <summary>The inbox behind the portal's bell: fed by the bus and the nightly pass, each person's own.</summary>
public sealed class NotificationApiTests
{
    [Test]
    public async Task A_vip_checked_in_is_one_unread_notification_for_their_manager_only_and_marking_it_read_clears_it()
    {
        var branch = TestServers.UniqueBranch();
        var manager = $"{branch}-RM1";
        Guid customerId;
        await using (var db = TestSystem.CustomerCare.NewDbContext())
        {
            customerId = await CustomerAsync(db, branch, manager, CustomerTiers.PrivateBanking, name: "钱多多");
        }
        var checkIn = new HighValueCustomerCheckedIn(Guid.NewGuid(), customerId, branch, CustomerTiers.PrivateBanking, "理财咨询", DateTimeOffset.UtcNow);
        var bus = TestSystem.FootTraffic.Get<IBus>();
        await bus.Publish(checkIn);

        using var rm = TestSystem.CustomerCare.ClientFor(Tokens.RelationshipManager(manager, branch));
        var inbox = await Poll.UntilAsync(() => ServiceSystem.GetAsync<InboxView>(rm, "/api/notifications"),
            i => i!.Unread > 0, "the VIP in the manager's inbox", timeout: TimeSpan.FromSeconds(10));
        var vip = inbox!.Items.Single();
        Assert.Multiple(() =>
        {
            Assert.That(vip.Kind, Is.EqualTo(NotificationKinds.VipArrived));
            Assert.That(vip.CustomerId, Is.EqualTo(customerId));
            Assert.That(vip.CustomerName, Is.EqualTo("钱**"), "masked");
            Assert.That(vip.Detail, Is.EqualTo("PrivateBanking · 理财咨询"));
            Assert.That(vip.ReadAt, Is.Null);
        });
        // The same check-in published again (another message id, past the inbox): still one notification.
        var copy = Guid.NewGuid();
        await bus.Publish(checkIn, (PublishContext<HighValueCustomerCheckedIn> context) => context.MessageId = copy);
        await Poll.UntilAsync(async () =>
        {
            await using var db = TestSystem.CustomerCare.NewDbContext();
            return await db.Set<InboxMessage>().CountAsync(m => m.MessageId == copy);
        }, n => n > 0, "the copy consumed");
        Assert.That((await ServiceSystem.GetAsync<InboxView>(rm, "/api/notifications"))!.Unread, Is.EqualTo(1), "one notification per check-in");

        // Another manager of the branch, and the branch lead, see nothing of it and cannot mark it.
        using var other = TestSystem.CustomerCare.ClientFor(Tokens.RelationshipManager($"{branch}-RM2", branch));
        using var lead = TestSystem.CustomerCare.ClientFor(Tokens.BranchLead(branch));
        Assert.That((await ServiceSystem.GetAsync<InboxView>(other, "/api/notifications"))!.Items, Is.Empty);
        Assert.That((await ServiceSystem.GetAsync<InboxView>(lead, "/api/notifications"))!.Items, Is.Empty);
        Assert.That((await other.PostAsync($"/api/notifications/{vip.Id}/read", null)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await ServiceSystem.GetAsync<InboxView>(rm, "/api/notifications"))!.Unread, Is.EqualTo(1), "still unread");

        Assert.That((await rm.PostAsync($"/api/notifications/{vip.Id}/read", null)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var after = (await ServiceSystem.GetAsync<InboxView>(rm, "/api/notifications"))!;
        Assert.Multiple(() =>
        {
            Assert.That(after.Unread, Is.Zero);
            Assert.That(after.Items.Single().ReadAt, Is.Not.Null);
        });
        Assert.That((await ServiceSystem.GetAsync<InboxView>(rm, "/api/notifications?unread=true"))!.Items, Is.Empty);
    }

    [Test]
    public async Task The_nightly_escalation_tells_the_manager_and_the_lead_in_their_inboxes_once_and_mark_all_read_clears_them()
    {
        var branch = TestServers.UniqueBranch();
        var manager = $"{branch}-RM1";
        await using (var db = TestSystem.CustomerCare.NewDbContext())
        {
            var customerId = await CustomerAsync(db, branch, manager, CustomerTiers.Wealth, joinedDaysAgo: 60, name: "孙悟空");
            await OpenRevisitAsync(db, customerId, branch, manager, RevisitReasons.Maturity, Today.AddDays(-5));
        }
        using var admin = TestSystem.CustomerCare.ClientFor(Tokens.Administrator);
        (await admin.PostAsync("/api/revisits/run", null)).EnsureSuccessStatusCode();
        (await admin.PostAsync("/api/revisits/run", null)).EnsureSuccessStatusCode(); // a second pass tells nobody twice

        using var rm = TestSystem.CustomerCare.ClientFor(Tokens.RelationshipManager(manager, branch));
        using var lead = TestSystem.CustomerCare.ClientFor(Tokens.BranchLead(branch));
        var mine = (await ServiceSystem.GetAsync<InboxView>(rm, "/api/notifications"))!;
        var leads = (await ServiceSystem.GetAsync<InboxView>(lead, "/api/notifications"))!;
        Assert.Multiple(() =>
        {
            Assert.That(mine.Items.Select(n => n.Kind), Is.EqualTo(new[] { NotificationKinds.ManagerReminder }));
            Assert.That(mine.Items.Single().Detail, Is.EqualTo($"maturity · {Today.AddDays(-5):yyyy-MM-dd}"));
            Assert.That(mine.Items.Single().CustomerName, Is.EqualTo("孙**"));
            Assert.That(leads.Items.Select(n => n.Kind), Is.EqualTo(new[] { NotificationKinds.LeadNotice }));
            Assert.That(leads.Items.Single().CustomerName, Is.EqualTo("孙**"), "the lead sees the branch's customer, masked");
        });

        var marked = await (await rm.PostAsync("/api/notifications/read", null)).Content.ReadFromJsonAsync<MarkedRead>();
        Assert.That(marked!.Marked, Is.EqualTo(1));
        Assert.That((await ServiceSystem.GetAsync<InboxView>(rm, "/api/notifications"))!.Unread, Is.Zero);
        Assert.That((await ServiceSystem.GetAsync<InboxView>(lead, "/api/notifications"))!.Unread, Is.EqualTo(1), "the lead's stays unread");
    }

    [Test]
    public async Task A_limit_out_of_range_is_a_problem_naming_the_field_and_no_token_is_refused()
    {
        using var rm = TestSystem.CustomerCare.ClientFor(Tokens.RelationshipManager("NOTIFY-RM", "NOTIFY"));
        var response = await rm.GetAsync("/api/notifications?limit=0");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys, Is.EquivalentTo(new[] { "limit" }));

        using var anonymous = TestSystem.CustomerCare.CreateClient();
        Assert.That((await anonymous.GetAsync("/api/notifications")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await anonymous.PostAsync("/api/notifications/read", null)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
