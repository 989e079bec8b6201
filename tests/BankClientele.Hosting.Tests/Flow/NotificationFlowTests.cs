using System.Net.Http.Json;
using System.Text;
using BankClientele.Acquisition.Campaigns;
using BankClientele.CustomerCare.Notifications;

namespace BankClientele.Hosting.Tests.Flow;

/// <summary>
/// Notices that reach the portal's bell from other services over the real broker: a manager's draft
/// waiting for the lead's approval, and each kind of import finishing for the person who ran it.
/// </summary>
public sealed class NotificationFlowTests
{
    [Test]
    public async Task A_managers_submitted_draft_waits_in_the_leads_inbox_and_a_leads_own_does_not()
    {
        var branch = TestServers.UniqueBranch();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var manager = Tokens.RelationshipManager($"{branch}-RM1", branch);
        var lead = Tokens.BranchLead(branch);
        foreach (var (staff, code) in new[] { (manager, $"NT-{branch}-RM"), (lead, $"NT-{branch}-BL") })
        {
            using var acquisition = TestSystem.Acquisition.ClientFor(staff);
            (await acquisition.PostAsJsonAsync("/api/campaigns", new CreateCampaign(code, "存款加息", CampaignKinds.Targeted, branch, 5_000m, today))).EnsureSuccessStatusCode();
            (await acquisition.PostAsync($"/api/campaigns/{code}/submission", null)).EnsureSuccessStatusCode();
        }

        using var leadInbox = TestSystem.CustomerCare.ClientFor(lead);
        var inbox = await Poll.UntilAsync(() => ServiceSystem.GetAsync<InboxView>(leadInbox, "/api/notifications"),
            box => box!.Items.Any(n => n.Kind == NotificationKinds.ApprovalWaiting), "the manager's draft to reach the lead's inbox");
        var waiting = inbox!.Items.Where(n => n.Kind == NotificationKinds.ApprovalWaiting).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(waiting.Select(n => n.Detail), Is.EqualTo(new[] { $"NT-{branch}-RM · targeted" }), "codes only; the lead's own draft needs no notice");
            Assert.That(waiting.Single().BranchCode, Is.EqualTo(branch));
        });
        using var managerInbox = TestSystem.CustomerCare.ClientFor(manager);
        Assert.That((await ServiceSystem.GetAsync<InboxView>(managerInbox, "/api/notifications"))!.Items, Is.Empty, "only the lead is asked to approve");
    }

    [Test]
    public async Task Each_applied_import_tells_the_person_who_ran_it_and_a_dry_run_or_a_refused_file_does_not()
    {
        var branch = TestServers.UniqueBranch();
        var lead = Tokens.BranchLead(branch);
        (await TestSystem.Services.PostFeedAsync("customers",
            $"customer_number,full_name,phone,branch_code\n{ServiceSystem.NewCustomerNumber()},王五,13800001111,{branch}\n", lead)).EnsureSuccessStatusCode();
        const string header = "full_name,phone,id_number,branch_code,campaign_code,channel,consent_at,consent_channel,consent_wording\n";
        var prospects = header + string.Concat(new[] { "赵六", "钱七" }.Select(name => $"{name},1391234{Random.Shared.Next(1000, 9999)},,{branch},,import,,,\n"));
        (await TestSystem.Services.ImportProspectsAsync(lead, prospects, dryRun: true)).EnsureSuccessStatusCode();
        (await TestSystem.Services.ImportProspectsAsync(lead, prospects)).EnsureSuccessStatusCode();
        Assert.That((await TestSystem.Services.ImportProspectsAsync(lead, header + $"孙八,not-a-phone,,{branch},,import,,,\n")).IsSuccessStatusCode, Is.False);
        using (var traffic = TestSystem.FootTraffic.ClientFor(lead))
        {
            var log = "branch_code,ticket_number,service_type,issued_at,called_at,counter,service_started_at,service_ended_at,abandoned_at,customer_number,phone\n" +
                string.Concat(Enumerable.Range(0, 3).Select(i => $"{branch},A{i:D3},cash,2026-12-01T09:0{i}:00+08:00,,,,,,,\n"));
            (await traffic.PostAsync("/api/visits/queue-log", new StringContent(log, Encoding.UTF8, "text/csv"))).EnsureSuccessStatusCode();
        }

        using var inbox = TestSystem.CustomerCare.ClientFor(lead);
        var box = await Poll.UntilAsync(() => ServiceSystem.GetAsync<InboxView>(inbox, "/api/notifications"),
            b => b!.Items.Count(n => n.Kind == NotificationKinds.ImportFinished) >= 3, "the three imports' notices");
        var finished = box!.Items.Where(n => n.Kind == NotificationKinds.ImportFinished).Select(n => n.Detail).Order().ToList();
        Assert.That(finished, Is.EqualTo(new[] { "customers · 1", "prospects · 2", "visits · 3" }),
            "one notice per applied import, none for the dry run or the refused file");
    }
}
