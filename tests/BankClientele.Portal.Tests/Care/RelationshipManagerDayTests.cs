using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using BankClientele.CustomerCare.Book;
using BankClientele.CustomerCare.Bundles;
using BankClientele.CustomerCare.Revisits;
using BankClientele.Hosting.Auth;
using BankClientele.Portal.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace BankClientele.Portal.Tests.Care;

/// <summary>
/// A relationship manager's day in Chromium, over the real services: My Day, a drop-in visit with its follow-up,
/// an offer and the customer's answer on the 360, a prospect with consent (withdrawn, then refused), My book;
/// and the same pages on a phone (390x844) without sideways scrolling.
/// </summary>
public sealed class RelationshipManagerDayTests : PortalPageTest
{
    private const string Branch = "UIRMD"; // its own branch: the shared fixture's counts stay as they are
    private static readonly SaveStaffAccount Manager = new("ui.rmday.rm", PortalSystem.Password, "日程经理", StaffRoles.RelationshipManager, "UI-RMD-1", Branch);
    private static readonly string Suffix = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant(); // codes as the bank writes them: upper case
    private static readonly Guid DueCustomer = Guid.NewGuid();
    private static readonly Guid EscalatedCustomer = Guid.NewGuid();
    private static readonly Guid WalkIn = Guid.NewGuid();
    private static readonly Guid Investor = Guid.NewGuid();
    private static readonly Guid Leaving = Guid.NewGuid();
    private static readonly Guid DueVisit = Guid.NewGuid();
    private static readonly Guid EscalatedVisit = Guid.NewGuid();
    private static Guid phoneLead;

    private static DateOnly Today => BankClientele.Hosting.Time.BranchClock.System.Today;

    [OneTimeSetUp]
    public async Task ArrangeAsync()
    {
        var services = PortalSystem.Services;
        await services.AddRelationshipManagerAsync(Manager.StaffId!, Branch, name: Manager.DisplayName);
        using (var portal = new HttpClient { BaseAddress = PortalSystem.Portal.Address })
        {
            portal.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.For(Tokens.Administrator));
            (await portal.PutAsJsonAsync("/api/staff-accounts", Manager)).EnsureSuccessStatusCode();
        }
        using (var headOffice = services.CustomerCare.ClientFor(Tokens.HeadOffice))
        {
            (await headOffice.PutAsJsonAsync("/api/products", new SaveProduct($"TDR-{Suffix}", "三年期定期存款", ProductKind.TimeDeposit, 36, 1, 50_000m))).EnsureSuccessStatusCode();
            (await headOffice.PutAsJsonAsync("/api/products", new SaveProduct($"WMR-{Suffix}", "养老理财", ProductKind.WealthManagement, null, 2, 10_000m))).EnsureSuccessStatusCode();
            (await headOffice.PutAsJsonAsync("/api/bundles", new SaveBundle($"BRM-{Suffix}", "定存+养老理财", $"TDR-{Suffix}", [$"WMR-{Suffix}"]))).EnsureSuccessStatusCode();
        }
        await using (var db = services.CustomerCare.NewDbContext())
        {
            Customer Of(Guid id, string name, string tier) => new()
            {
                Id = id, CustomerNumber = $"R{Suffix}{db.ChangeTracker.Entries<Customer>().Count():D2}", FullName = name, Phone = "13800001111",
                BranchCode = Branch, AccountNumber = $"62220{Random.Shared.NextInt64(10_000_000_000, 99_999_999_999)}", RelationshipManagerId = Manager.StaffId,
                Tier = tier, AverageAssets = 800_000m, DepositBalance = 500_000m, BalanceDate = Today, JoinedAt = DateTimeOffset.UtcNow.AddYears(-1),
            };
            db.Customers.Add(Of(DueCustomer, "司徒雷", CustomerTiers.PrivateBanking));
            db.Customers.Add(Of(EscalatedCustomer, "端木蓉", CustomerTiers.Wealth));
            db.Customers.Add(Of(WalkIn, "慕容复", CustomerTiers.Wealth));
            var investor = Of(Investor, "令狐冲", CustomerTiers.Wealth);
            (investor.RiskLevel, investor.RiskAssessedOn, investor.LifecycleStage, investor.ValueSegment, investor.ExpectedLifetimeValue) = (3, Today.AddMonths(-1), "Retain", "High", 120_000m);
            db.Customers.Add(investor);
            var leaving = Of(Leaving, "欧阳克", CustomerTiers.HighNetWorth);
            (leaving.LifecycleStage, leaving.ValueSegment, leaving.ProbabilityAlive, leaving.ExpectedLifetimeValue) = ("Convert", "High", 0.25, 80_000m);
            db.Customers.Add(leaving);
            db.Revisits.Add(new Revisit { Id = DueVisit, CustomerId = DueCustomer, BranchCode = Branch, RelationshipManagerId = Manager.StaffId,
                Reason = RevisitReasons.Scheduled, DueOn = Today, CreatedAt = DateTimeOffset.UtcNow.AddDays(-20) });
            db.Revisits.Add(new Revisit { Id = EscalatedVisit, CustomerId = EscalatedCustomer, BranchCode = Branch, RelationshipManagerId = Manager.StaffId,
                Reason = RevisitReasons.Maturity, DueOn = Today.AddDays(-4), EscalationLevel = 2, CreatedAt = DateTimeOffset.UtcNow.AddDays(-10) });
            await db.SaveChangesAsync();
        }
        // A lead for the phone test, with consent, through Acquisition's API.
        using var acquisition = services.Acquisition.ClientFor(Tokens.RelationshipManager(Manager.StaffId!, Branch));
        var created = await acquisition.PostAsJsonAsync("/api/prospects", new { fullName = "上官飞燕", phone = $"139{Random.Shared.Next(10_000_000, 99_999_999)}",
            branchCode = Branch, channel = "staff", consentWording = "本人同意银行通过电话联系本人介绍产品。" });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        phoneLead = (await created.Content.ReadFromJsonAsync<IdOnly>())!.Id;
    }

    private sealed record IdOnly(Guid Id);

    [Test]
    public async Task A_relationship_manager_goes_through_the_day()
    {
        await SignInAsync(Manager);

        // My Day: the visit due today, the escalated overdue one marked.
        await Page.GotoAsync("/care/my-day");
        await Expect(Page.GetByTestId("today").GetByTestId($"revisit-{DueVisit}")).ToContainTextAsync("司**");
        await Expect(Page.GetByTestId("today")).ToContainTextAsync("定期回访");
        await Expect(Page.GetByTestId($"escalated-{EscalatedVisit}")).ToHaveTextAsync("已上报行长");
        await Expect(Page.GetByTestId("overdue")).ToContainTextAsync("端**");
        await Expect(Page.GetByTestId("escalated-count")).ToBeVisibleAsync();

        // A customer drops in: found by name, the visit logged with a next step, the follow-up on My Day.
        await Page.GetByTestId("log-any-visit").ClickAsync();
        await Page.GetByTestId("customer-query").FillAsync("慕容");
        await Page.GetByTestId("find").ClickAsync();
        await Page.GetByTestId($"pick-{WalkIn}").ClickAsync();
        await Expect(Page.GetByTestId("visit-customer")).ToContainTextAsync("慕**");
        await Page.GetByTestId("channel").SelectOptionAsync("wechat");
        await Page.GetByTestId("outcome").FillAsync("咨询养老理财");
        await Page.GetByTestId("notes").FillAsync("客户到网点办理业务时顺便咨询");
        await Page.GetByTestId("next-step").FillAsync("送养老理财资料");
        await Page.GetByTestId("next-follow-up").FillAsync(Today.AddDays(3).ToString("yyyy-MM-dd"));
        await Page.GetByTestId("save").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("/care/my-day\\?logged=true$"));
        var followUp = Page.GetByTestId("upcoming").Locator(".visit-card", new() { HasText = "慕**" });
        await Expect(followUp).ToContainTextAsync("送养老理财资料");
        await Expect(followUp).ToContainTextAsync(Today.AddDays(3).ToString("yyyy-MM-dd"));
        await using (var db = PortalSystem.Services.CustomerCare.NewDbContext())
        {
            var visit = await db.Revisits.AsNoTracking().SingleAsync(r => r.CustomerId == WalkIn && r.Status == RevisitStatuses.Completed);
            Assert.That((visit.Reason, visit.Channel, visit.CompletedBy), Is.EqualTo((RevisitReasons.Unscheduled, "wechat", Manager.StaffId)));
        }

        // The 360: segment and CLV, the suitability check, an offer made and the customer's answers.
        await Page.GotoAsync($"/care/customers/{Investor}");
        await Expect(Page.GetByTestId("segment")).ToHaveTextAsync("留存期 / 高价值");
        await Expect(Page.GetByTestId("clv")).ToContainTextAsync("120,000");
        await Expect(Page.GetByTestId("suitability")).ToContainTextAsync("C3");
        await Expect(Page.GetByTestId($"recommendation-BRM-{Suffix}")).ToContainTextAsync("定存+养老理财");
        await Page.GetByTestId("offer-bundle").SelectOptionAsync($"BRM-{Suffix}");
        await Page.GetByTestId("offer-amount").FillAsync("100000");
        await Page.GetByTestId("make-offer").ClickAsync();
        await Expect(Page.GetByTestId("offered")).ToBeVisibleAsync();
        Guid offerId;
        await using (var db = PortalSystem.Services.CustomerCare.NewDbContext())
        {
            offerId = (await db.Offers.AsNoTracking().SingleAsync(o => o.CustomerId == Investor)).Id;
        }
        await Page.GetByTestId($"answer-later-{offerId}").ClickAsync();
        await Expect(Page.GetByTestId($"offer-status-{offerId}")).ToHaveTextAsync("稍后答复");
        await Page.GetByTestId($"answer-accept-{offerId}").ClickAsync();
        await Expect(Page.GetByTestId($"offer-status-{offerId}")).ToHaveTextAsync("已接受");
        await Expect(Page.GetByTestId("answered")).ToContainTextAsync("已接受");
        await using (var db = PortalSystem.Services.CustomerCare.NewDbContext())
        {
            Assert.That((await db.Offers.AsNoTracking().SingleAsync(o => o.Id == offerId)).Status, Is.EqualTo(OfferStatus.Accepted));
        }

        // A prospect with both consents; a contact moves the lead on; consent withdrawn with one button, contact refused.
        await Page.GotoAsync("/acquisition/leads");
        await Page.GetByTestId("record-lead").Locator("summary").ClickAsync();
        await Page.GetByTestId("lead-name").FillAsync("独孤求败");
        await Page.GetByTestId("lead-phone").FillAsync($"137{Random.Shared.Next(10_000_000, 99_999_999)}");
        await Page.GetByTestId("consent-marketing").CheckAsync();
        await Page.GetByTestId("consent-financial").CheckAsync();
        await Page.GetByTestId("save-lead").ClickAsync();
        await Expect(Page.GetByTestId("recorded")).ToBeVisibleAsync();
        var leadId = Guid.Parse(Regex.Match(Page.Url, "/acquisition/leads/([0-9a-f-]{36})").Groups[1].Value);
        await Expect(Page.GetByTestId("consent-state-marketing")).ToHaveTextAsync("已授权");
        await Expect(Page.GetByTestId("consent-state-financial-data")).ToHaveTextAsync("已授权");

        await Page.GetByTestId("contact-channel").SelectOptionAsync("wechat");
        await Page.GetByTestId("contact-outcome").SelectOptionAsync("interested");
        await Page.GetByTestId("contact-note").FillAsync("对开户送礼活动感兴趣");
        await Page.GetByTestId("log-contact").ClickAsync();
        await Expect(Page.GetByTestId("funnel-stage").Locator("li.current")).ToHaveTextAsync("有意向");
        await Expect(Page.GetByTestId("touches")).ToContainTextAsync("对开户送礼活动感兴趣");

        await Page.GetByTestId("withdraw-marketing").ClickAsync();
        await Expect(Page.GetByTestId("consent-state-marketing")).ToHaveTextAsync("未授权");
        await Expect(Page.GetByTestId("contact-refused")).ToContainTextAsync("不能联系");
        await Expect(Page.GetByTestId("log-contact")).ToBeDisabledAsync();
        using (var acquisition = PortalSystem.Services.Acquisition.ClientFor(Tokens.RelationshipManager(Manager.StaffId!, Branch)))
        {
            var refused = await acquisition.PostAsJsonAsync($"/api/prospects/{leadId}/contacts", new { channel = "phone", outcome = "reached" });
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "the API refuses the contact too");
        }

        // My book: on-time rate, the book by tier and segment, who is at risk, each a link to the 360.
        await Page.GotoAsync("/care/my-day");
        await Page.GetByTestId("nav-care/my-book").ClickAsync();
        await Expect(Page.GetByTestId("book-customers").Locator(".figure")).ToHaveTextAsync("5");
        await Expect(Page.GetByTestId("by-tier")).ToContainTextAsync("财富客户: 3");
        await Expect(Page.GetByTestId("by-segment")).ToContainTextAsync("高价值: 2");
        await Expect(Page.GetByTestId("tier-chart")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("on-time-rate")).ToContainTextAsync("100%");
        await Page.GetByTestId($"at-risk-{Leaving}").ClickAsync();
        await Expect(Page.GetByTestId("customer-name")).ToContainTextAsync("欧**");
        await Expect(Page.GetByTestId("segment")).ToHaveTextAsync("挽回期 / 高价值");
    }

    [Test]
    public async Task On_a_phone_my_day_the_360_the_leads_and_my_book_fit_the_screen()
    {
        await Page.SetViewportSizeAsync(390, 844);
        await SignInAsync(Manager);
        foreach (var (path, ready) in new[]
        {
            ("/care/my-day", "today"),
            ($"/care/customers/{Investor}", "recommendations"),
            ("/care/visits/new?q=" + Uri.EscapeDataString("慕容"), "matches"),
            ($"/care/revisits/{DueVisit}/log", "visit-form"),
            ("/acquisition/leads", "leads"),
            ($"/acquisition/leads/{phoneLead}", "contact"),
            ("/care/my-book", "at-risk"),
        })
        {
            await Page.GotoAsync(path);
            await Expect(Page.GetByTestId(ready)).ToBeVisibleAsync();
            var fits = await Page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth");
            var width = await Page.EvaluateAsync<int>("document.documentElement.scrollWidth");
            Assert.That(fits, Is.True, $"{path} is {width}px wide on a 390px screen");
        }
    }
}
