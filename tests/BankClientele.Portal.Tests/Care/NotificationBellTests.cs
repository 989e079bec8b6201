using System.Net.Http.Json;
using BankClientele.Contracts.CustomerCare;
using BankClientele.CustomerCare.Book;
using BankClientele.CustomerCare.Revisits;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Time;
using BankClientele.Portal.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace BankClientele.Portal.Tests.Care;

/// <summary>
/// The bell: a VIP checked in at the door by the branch lead (one browser) appears on their manager's
/// open My Day (another browser) within five seconds, no reload; a reminder waits in the bell until read.
/// </summary>
public sealed class NotificationBellTests : PortalPageTest
{
    private static readonly string Branch = TestServers.UniqueBranch("NB");
    private static readonly SaveStaffAccount Manager = new("ui.bell.rm", PortalSystem.Password, "铃声经理", StaffRoles.RelationshipManager, $"{Branch}-RM1", Branch);
    // Another manager's inbox for the reminder (no book of their own in CustomerCare: the VIP's assignment stays with the first).
    private static readonly SaveStaffAccount Reminded = new("ui.bell.rm2", PortalSystem.Password, "提醒经理", StaffRoles.RelationshipManager, $"{Branch}-RM2", Branch);
    private static readonly SaveStaffAccount Lead = new("ui.bell.lead", PortalSystem.Password, "铃声行长", StaffRoles.BranchLead, $"{Branch}-BL", Branch);
    private const string VipName = "上官婉儿";
    private const string VipPhone = "13655556666";
    private static Guid vipId;

    [OneTimeSetUp]
    public async Task ArrangeAsync()
    {
        var services = PortalSystem.Services;
        await services.AddRelationshipManagerAsync(Manager.StaffId!, Branch, name: Manager.DisplayName);
        using (var portal = new HttpClient { BaseAddress = PortalSystem.Portal.Address })
        {
            portal.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.For(Tokens.Administrator));
            foreach (var account in new[] { Manager, Reminded, Lead })
            {
                (await portal.PutAsJsonAsync("/api/staff-accounts", account)).EnsureSuccessStatusCode();
            }
        }

        // A customer converted at the branch (assigned to its one manager), whom the core-banking figures make private banking.
        vipId = await services.NewCustomerAsync(Branch, VipName, VipPhone);
        await Poll.UntilAsync(async () =>
        {
            await using var db = services.CustomerCare.NewDbContext();
            return await db.Customers.Where(c => c.Id == vipId).Select(c => c.RelationshipManagerId).SingleOrDefaultAsync();
        }, manager => manager == Manager.StaffId, "the VIP assigned to the manager");
        var number = await Poll.UntilAsync(async () =>
        {
            await using var db = services.FootTraffic.NewDbContext();
            return await db.KnownCustomers.Where(c => c.CustomerId == vipId).Select(c => c.CustomerNumber).SingleOrDefaultAsync();
        }, n => n is not null, "foot traffic to learn the customer");
        await services.PublishAsync(new CustomerTierChanged(vipId, number!, Branch, CustomerTiers.Mass, CustomerTiers.PrivateBanking, 8_000_000m, DateTimeOffset.UtcNow));
        await Poll.UntilAsync(async () =>
        {
            await using var db = services.FootTraffic.NewDbContext();
            return await db.KnownCustomers.Where(c => c.CustomerId == vipId).Select(c => c.Tier).SingleOrDefaultAsync();
        }, tier => tier == CustomerTiers.PrivateBanking, "foot traffic to know the VIP's tier");
    }

    [Test]
    public async Task A_vip_checked_in_at_the_door_shows_on_the_managers_open_my_day_within_five_seconds_without_a_reload()
    {
        // The manager, on a phone, with My Day open and its bell live on the circuit.
        await Page.SetViewportSizeAsync(390, 844);
        await SignInAsync(Manager);
        await Page.GotoAsync("/care/my-day");
        var bell = Page.GetByRole(AriaRole.Link, new() { Name = "通知", Exact = true });
        await Expect(bell).ToHaveAttributeAsync("data-live", "true");
        await Expect(Page.GetByTestId("bell-count")).Not.ToBeVisibleAsync();
        await Page.EvaluateAsync("window.openedOnce = true"); // gone if the page reloads

        // The lead at the door, in a browser of their own, checks the VIP in by phone.
        await using var door = await PortalSystem.Browser.NewContextAsync(new() { BaseURL = PortalSystem.Portal.Address.ToString() });
        var greeter = await door.NewPageAsync();
        await greeter.GotoAsync("/account/login");
        await greeter.GetByTestId("username").FillAsync(Lead.UserName);
        await greeter.GetByTestId("password").FillAsync(Lead.Password);
        await greeter.GetByTestId("signin").ClickAsync();
        await greeter.GotoAsync("/traffic/door");
        await greeter.GetByTestId("checkin-ticket").FillAsync("V001");
        await greeter.GetByTestId("checkin-service").SelectOptionAsync("理财咨询");
        await greeter.GetByTestId("checkin-consent").CheckAsync();
        await greeter.GetByTestId("checkin-phone").FillAsync(VipPhone);
        await greeter.GetByTestId("checkin").ClickAsync();
        await Expect(greeter.GetByTestId("checkin-result")).ToContainTextAsync("已识别客户");

        // On the manager's page: the toast and the count, within five seconds of the check-in.
        var toast = Page.GetByTestId("vip-toast");
        await Expect(toast).ToContainTextAsync("上***", new() { Timeout = 5_000 });
        await Expect(Page.GetByTestId("bell-count")).ToHaveTextAsync("1", new() { Timeout = 5_000 });
        await Expect(toast).ToContainTextAsync("私人银行客户");
        await Expect(toast).ToContainTextAsync("理财咨询");
        await Expect(toast).Not.ToContainTextAsync(VipName);
        Assert.That(await Page.EvaluateAsync<bool>("window.openedOnce === true"), Is.True, "no reload");
        var width = await Page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.That(width, Is.LessThanOrEqualTo(390 + 1), "the header and the toast fit a phone");

        // The toast opens the customer's 360.
        await Page.GetByTestId("vip-toast-open").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/care/customers/{vipId}$"));
    }

    [Test]
    public async Task A_reminder_waits_in_the_bell_in_beijing_time_and_marking_it_read_clears_the_count()
    {
        var services = PortalSystem.Services;
        var customerId = Guid.NewGuid();
        await using (var db = services.CustomerCare.NewDbContext())
        {
            db.Customers.Add(new Customer
            {
                Id = customerId, FullName = "独孤求败", Phone = "13700009999", BranchCode = Branch, AccountNumber = "6222000055556666",
                RelationshipManagerId = Reminded.StaffId, Tier = CustomerTiers.Wealth, JoinedAt = DateTimeOffset.UtcNow.AddDays(-60),
            });
            db.Revisits.Add(new Revisit
            {
                Id = Guid.NewGuid(), CustomerId = customerId, BranchCode = Branch, RelationshipManagerId = Reminded.StaffId,
                Reason = RevisitReasons.Maturity, DueOn = BranchClock.System.Today.AddDays(-2), CreatedAt = DateTimeOffset.UtcNow.AddDays(-9),
            });
            await db.SaveChangesAsync();
        }
        using (var admin = services.CustomerCare.ClientFor(Tokens.Administrator))
        {
            (await admin.PostAsync("/api/revisits/run", null)).EnsureSuccessStatusCode();
        }
        DateTimeOffset createdAt;
        await using (var db = services.CustomerCare.NewDbContext())
        {
            createdAt = await db.Notifications.Where(n => n.StaffId == Reminded.StaffId).Select(n => n.CreatedAt).SingleAsync();
        }

        await Page.SetViewportSizeAsync(390, 844);
        await SignInAsync(Reminded);
        await Page.GotoAsync("/care/my-day");
        await Expect(Page.GetByTestId("bell-count")).ToHaveTextAsync("1");
        await Page.GetByRole(AriaRole.Link, new() { Name = "通知", Exact = true }).ClickAsync();

        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/notifications$"));
        var item = Page.GetByTestId("inbox").Locator("li").First;
        await Expect(item).ToContainTextAsync("回访逾期提醒");
        await Expect(item).ToContainTextAsync("独**");
        await Expect(item).ToContainTextAsync("定期存款到期");
        await Expect(item).ToContainTextAsync(createdAt.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm"));
        await Expect(item).Not.ToContainTextAsync("独孤求败");
        var width = await Page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.That(width, Is.LessThanOrEqualTo(390 + 1));

        await item.GetByRole(AriaRole.Button, new() { Name = "标为已读" }).ClickAsync();
        await Expect(Page.GetByTestId("inbox-unread")).ToHaveTextAsync("0 条未读");
        await Expect(Page.GetByTestId("bell-count")).Not.ToBeVisibleAsync();
        await Expect(item).Not.ToContainTextAsync("未读");
        await using (var db = services.CustomerCare.NewDbContext())
        {
            Assert.That(await db.Notifications.Where(n => n.StaffId == Reminded.StaffId).Select(n => n.ReadAt).SingleAsync(), Is.Not.Null);
        }

        // In English the bell is "Notifications".
        await Page.GotoAsync("/culture?c=en-US&redirect=/notifications");
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Notifications", Exact = true })).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("inbox-unread")).ToHaveTextAsync("0 unread");
    }

    [Test]
    public async Task A_lead_is_told_of_a_managers_draft_waiting_for_approval_and_of_their_finished_import_and_opens_each()
    {
        var code = $"NB-{Branch}-APPROVE";
        var manager = new StaffIdentity(Manager.StaffId!, Manager.DisplayName, StaffRoles.RelationshipManager, Branch);
        using (var acquisition = PortalSystem.Services.Acquisition.ClientFor(manager))
        {
            (await acquisition.PostAsJsonAsync("/api/campaigns", new BankClientele.Acquisition.Campaigns.CreateCampaign(
                code, "到期客户续存", "targeted", Branch, 3_000m, DateOnly.FromDateTime(DateTime.UtcNow)))).EnsureSuccessStatusCode();
            (await acquisition.PostAsync($"/api/campaigns/{code}/submission", null)).EnsureSuccessStatusCode();
        }
        var lead = new StaffIdentity(Lead.StaffId!, Lead.DisplayName, StaffRoles.BranchLead, Branch);
        var csv = "full_name,phone,id_number,branch_code,campaign_code,channel,consent_at,consent_channel,consent_wording\n" +
            string.Concat(new[] { "甲", "乙" }.Select(n => $"客户{n},1391234{Random.Shared.Next(1000, 9999)},,{Branch},,import,,,\n"));
        (await PortalSystem.Services.ImportProspectsAsync(lead, csv)).EnsureSuccessStatusCode();
        await using (var db = PortalSystem.Services.CustomerCare.NewDbContext())
        {
            await Poll.UntilAsync(() => db.Notifications.CountAsync(n => n.BranchCode == Branch && (n.Kind == "approval-waiting" || n.Kind == "import-finished")),
                n => n == 2, "the approval and the import notices");
        }

        await SignInAsync(Lead);
        await Page.GotoAsync("/notifications");
        var approval = Page.GetByTestId("inbox").Locator("li[data-kind='approval-waiting']");
        await Expect(approval).ToContainTextAsync("待审批");
        await Expect(approval).ToContainTextAsync($"活动 {code}（精准营销");
        var import = Page.GetByTestId("inbox").Locator("li[data-kind='import-finished']");
        await Expect(import).ToContainTextAsync("潜在客户名单已导入：共 2 行");
        await approval.GetByRole(AriaRole.Link, new() { Name = "查看" }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/acquisition/campaigns/{code}$"));
        await Expect(Page.GetByTestId("approve")).ToBeVisibleAsync();
    }
}
