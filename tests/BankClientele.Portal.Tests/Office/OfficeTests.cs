using Microsoft.Playwright;
using System.Text.Json;
using System.Net;
using System.Net.Http.Json;
using BankClientele.CustomerCare.Book;
using BankClientele.CustomerCare.Calendar;
using BankClientele.Hosting.Auth;
using BankClientele.Portal.Accounts;

namespace BankClientele.Portal.Tests.Office;

/// <summary>
/// Head office's administration in Chromium: a region head sees their region's branches only; an
/// administrator deactivates a manager, whose open session ends and whose calendar link stops; any
/// member of staff changes their password, and the old one stops working.
/// </summary>
public sealed class OfficeTests : PortalPageTest
{
    private const string Region = "UI-EAST";
    private const string DeactivationBranch = "UI0D1";
    private static readonly SaveStaffAccount RegionHead = new("ui.region", PortalSystem.Password, "测试分行行长", StaffRoles.RegionHead, "UI-RH-1", null, Region);
    private static readonly SaveStaffAccount Leaver = new("ui.leaver", PortalSystem.Password, "离职经理", StaffRoles.RelationshipManager, "UI-RM-LEAVE", DeactivationBranch);
    private static readonly SaveStaffAccount Changer = new("ui.changer", PortalSystem.Password, "改密经理", StaffRoles.BranchLead, "UI-BL-PW", PortalSystem.Branch);

    [OneTimeSetUp]
    public async Task ArrangeAsync()
    {
        using var portal = new HttpClient { BaseAddress = PortalSystem.Portal.Address };
        portal.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.For(Tokens.Administrator));
        (await portal.PutAsJsonAsync("/api/regions", new SaveRegion(Region, "测试华东分行", [PortalSystem.Branch, "UI0R9"]))).EnsureSuccessStatusCode();
        foreach (var account in new[] { RegionHead, Leaver, Changer })
        {
            (await portal.PutAsJsonAsync("/api/staff-accounts", account)).EnsureSuccessStatusCode();
        }
    }

    [Test]
    public async Task A_region_head_sees_the_branches_of_their_region_only()
    {
        await SignInAsync(RegionHead);
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/network$"));
        await Expect(Page.GetByTestId("region-branches")).ToContainTextAsync(PortalSystem.Branch);
        var table = Page.GetByTestId("branches");
        await Expect(table).ToContainTextAsync(PortalSystem.Branch);
        await Expect(table).Not.ToContainTextAsync(PortalSystem.OtherBranch);
        // The picker offers the region's branches and nothing else.
        var options = await Page.GetByTestId("region-branch").Locator("option").AllInnerTextsAsync();
        Assert.That(options.Skip(1), Is.EqualTo(new[] { PortalSystem.Branch, "UI0R9" }));

        // Asking a traffic page for another region's branch shows the region's own instead.
        await Page.GotoAsync($"/traffic?branch={PortalSystem.OtherBranch}");
        await Expect(Page.GetByTestId("traffic-branch")).ToHaveTextAsync(PortalSystem.Branch);

        // The KPIs of a picked branch; the service itself refuses a branch outside the region (403 naming branchCode).
        await Page.GotoAsync($"/insights/kpis?branch={PortalSystem.Branch}");
        await Expect(Page.GetByTestId("kpi-branch")).ToHaveTextAsync(PortalSystem.Branch);
        await Expect(Page.GetByTestId("market-share")).ToHaveCountAsync(0);
        using var insights = PortalSystem.Services.Insights.ClientFor(new StaffIdentity(RegionHead.StaffId, RegionHead.DisplayName, StaffRoles.RegionHead, null, [PortalSystem.Branch, "UI0R9"]));
        var refused = await insights.GetAsync($"/api/kpis/league-table?branchCode={PortalSystem.OtherBranch}");
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("branchCode"));

        // Their region's deposit uplift and product holdings: pages in their menu, figures of the region only.
        await Page.GotoAsync("/insights/uplift");
        await Expect(Page.Locator("nav a[href='/insights/uplift'], a[href='/insights/uplift']").First).ToBeAttachedAsync();
        await Expect(Page.GetByTestId("unavailable")).ToHaveCountAsync(0);
        await Expect(Page.GetByTestId("lobby-none")).ToHaveCountAsync(0);
        var uplift = await insights.GetFromJsonAsync<JsonElement>("/api/uplift/deposits?groupBy=branch");
        Assert.That(uplift.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("group").GetString()),
            Is.SubsetOf(new[] { PortalSystem.Branch, "UI0R9" }), "the region's branches only");
        await Page.GotoAsync("/insights/products");
        await Expect(Page.GetByTestId("unavailable")).ToHaveCountAsync(0);
        Assert.That((await insights.GetAsync($"/api/holdings/products?branchCode={PortalSystem.OtherBranch}")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await insights.GetAsync($"/api/holdings/products?branchCode={PortalSystem.Branch}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task An_administrator_deactivates_a_manager_whose_session_and_calendar_link_stop_and_whose_book_waits_for_reassignment()
    {
        var services = PortalSystem.Services;
        await services.AddRelationshipManagerAsync(Leaver.StaffId, DeactivationBranch, name: Leaver.DisplayName);
        var customerId = await services.NewCustomerAsync(DeactivationBranch, "待分配客户");
        using var headOffice = services.CustomerCare.ClientFor(Tokens.HeadOffice);
        await Poll.UntilAsync(() => ServiceSystem.GetAsync<CustomerView>(headOffice, $"/api/customers/{customerId}"),
            c => c?.RelationshipManagerId == Leaver.StaffId, "the customer in the leaver's book");
        using var asLeaver = services.CustomerCare.ClientFor(Tokens.RelationshipManager(Leaver.StaffId, DeactivationBranch));
        var link = await (await asLeaver.PostAsync("/api/calendar-links", null)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<CalendarLinkCreated>();
        using var anonymous = new HttpClient { BaseAddress = PortalFactory.KestrelAddress(services.CustomerCare) };
        Assert.That((await anonymous.GetAsync(link!.Path)).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the link works before");

        // The manager's open session, in a browser context of its own.
        await using var leaverContext = await PortalSystem.Browser.NewContextAsync(new() { BaseURL = PortalAddress.ToString() });
        var leaverPage = await leaverContext.NewPageAsync();
        await leaverPage.GotoAsync("/account/login");
        await leaverPage.GetByTestId("username").FillAsync(Leaver.UserName);
        await leaverPage.GetByTestId("password").FillAsync(Leaver.Password);
        await leaverPage.GetByTestId("signin").ClickAsync();
        await Expect(leaverPage.GetByTestId("who")).ToContainTextAsync(Leaver.DisplayName);

        await SignInAsync(PortalSystem.Administrator);
        await Page.GotoAsync("/admin/staff");
        // A second account with the leaver's staff id is refused, in Chinese (the portal's own refusal has an English twin for the API).
        await Page.GetByTestId("save-username").FillAsync("ui.duplicate");
        await Page.GetByTestId("save-name").FillAsync("重复工号");
        await Page.GetByTestId("save-role").SelectOptionAsync(StaffRoles.RelationshipManager);
        await Page.GetByTestId("save-staff-id").FillAsync(Leaver.StaffId);
        await Page.GetByTestId("save-branch").FillAsync(DeactivationBranch);
        await Page.GetByTestId("save-password").FillAsync(PortalSystem.Password);
        await Page.GetByTestId("save-staff").ClickAsync();
        await Expect(Page.GetByTestId("staff-problem")).ToContainTextAsync("该员工号已被其他账号使用");
        Assert.That(await Page.GetByTestId("staff-problem").InnerTextAsync(), Does.Not.Match("[A-Za-z]{3,}"), "no English in the refusal");
        await Page.GetByTestId($"deactivate-{Leaver.UserName}").ClickAsync();
        await Expect(Page.GetByTestId("staff-done")).ToContainTextAsync(Leaver.UserName);
        await Expect(Page.GetByTestId($"status-{Leaver.UserName}")).ToContainTextAsync("已停用");

        // The next request of the open session is turned away to the sign-in page; signing in again fails.
        await leaverPage.GotoAsync("/customers");
        await Expect(leaverPage).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
        await leaverPage.GetByTestId("username").FillAsync(Leaver.UserName);
        await leaverPage.GetByTestId("password").FillAsync(Leaver.Password);
        await leaverPage.GetByTestId("signin").ClickAsync();
        await Expect(leaverPage.GetByTestId("signin-error")).ToBeVisibleAsync();

        var feed = await anonymous.GetAsync(link.Path);
        Assert.That(feed.StatusCode, Is.AnyOf(HttpStatusCode.NotFound, HttpStatusCode.Gone), "the calendar link stops");
        Assert.That((await asLeaver.PostAsync("/api/calendar-links", null)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "and no new one is made");
        var customer = await ServiceSystem.GetAsync<CustomerView>(headOffice, $"/api/customers/{customerId}");
        Assert.That(customer!.RelationshipManagerId, Is.Null, "the book waits in the branch pool for the lead");
    }

    [Test]
    public async Task Staff_change_their_password_and_the_old_one_stops_working()
    {
        const string NewPassword = "Changed#2026x";
        await SignInAsync(Changer);
        await Page.GetByTestId("password-link").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/password$"));

        // A wrong current password is shown on its field.
        await Page.GetByTestId("current-password").FillAsync("not-my-password");
        await Page.GetByTestId("new-password").FillAsync(NewPassword);
        await Page.GetByTestId("repeat-password").FillAsync(NewPassword);
        await Page.GetByTestId("change-password").ClickAsync();
        await Expect(Page.GetByTestId("error-Current")).ToBeVisibleAsync();
        // Identity's rules: too short is shown on the new password.
        await Page.GetByTestId("current-password").FillAsync(Changer.Password);
        await Page.GetByTestId("new-password").FillAsync("short");
        await Page.GetByTestId("repeat-password").FillAsync("short");
        await Page.GetByTestId("change-password").ClickAsync();
        await Expect(Page.GetByTestId("error-New")).ToContainTextAsync("密码至少 8 位");
        Assert.That(await Page.GetByTestId("error-New").InnerTextAsync(), Does.Not.Match("[A-Za-z]{3,}"), "Identity's English rules worded in Chinese");

        await Page.GetByTestId("current-password").FillAsync(Changer.Password);
        await Page.GetByTestId("new-password").FillAsync(NewPassword);
        await Page.GetByTestId("repeat-password").FillAsync(NewPassword);
        await Page.GetByTestId("change-password").ClickAsync();
        await Expect(Page.GetByTestId("password-changed")).ToBeVisibleAsync();
        // The session goes on after the change.
        await Page.GotoAsync("/");
        await Expect(Page.GetByTestId("who")).ToContainTextAsync(Changer.DisplayName);

        await Page.GetByTestId("sign-out").ClickAsync();
        await SignInAsync(Changer.UserName, Changer.Password);
        await Expect(Page.GetByTestId("signin-error")).ToBeVisibleAsync();
        await SignInAsync(Changer.UserName, NewPassword);
        await Expect(Page.GetByTestId("who")).ToContainTextAsync(Changer.DisplayName);
    }

    [Test]
    public async Task The_audit_log_filtered_shows_an_unmasked_view_just_made_and_exports_it()
    {
        const string AuditBranch = "UI0A1";
        var services = PortalSystem.Services;
        await services.AddRelationshipManagerAsync("UI-RM-AUDIT", AuditBranch, name: "审计经理");
        var customerId = await services.NewCustomerAsync(AuditBranch, "审计客户");
        var lead = Tokens.BranchLead(AuditBranch);
        using var care = services.CustomerCare.ClientFor(lead);
        await Poll.UntilAsync(() => ServiceSystem.GetAsync<CustomerView>(care, $"/api/customers/{customerId}"), c => c is not null, "the customer in the book");
        (await care.GetAsync($"/api/customers/{customerId}/personal-data?reason={Uri.EscapeDataString("核实开户资料")}")).EnsureSuccessStatusCode();

        await SignInAsync(PortalSystem.HeadOffice);
        await Page.GotoAsync("/admin/audit");
        await Page.GetByTestId("audit-staff").FillAsync(lead.StaffId);
        await Page.GetByTestId("audit-kind").SelectOptionAsync("unmask");
        await Page.GetByTestId("audit-branch").FillAsync(AuditBranch);
        await Page.GetByTestId("audit-show").ClickAsync();
        var row = Page.GetByTestId("audit-row");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("核实开户资料");
        await Expect(row).ToContainTextAsync(AuditBranch);
        var csv = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId("export-audit-log-csv").ClickAsync());
        var text = await File.ReadAllTextAsync((await csv.PathAsync())!);
        Assert.That(text, Does.Contain(lead.StaffId).And.Contain("核实开户资料"));

        // Scoped: the lead of another branch is refused this branch's entries (403 naming branchCode) and sees none of them unasked.
        using var otherLead = services.CustomerCare.ClientFor(Tokens.BranchLead(PortalSystem.OtherBranch));
        var refused = await otherLead.GetAsync($"/api/audit?branchCode={AuditBranch}");
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("branchCode"));
        var own = await ServiceSystem.GetAsync<List<BankClientele.Portal.Audit.AuditRow>>(otherLead, "/api/audit");
        Assert.That(own!.Select(r => r.BranchCode), Has.None.EqualTo(AuditBranch));
    }
}
