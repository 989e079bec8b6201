using System.Net.Http.Json;
using System.Text.RegularExpressions;
using BankClientele.Contracts.FootTraffic;
using BankClientele.CustomerCare.Book;
using BankClientele.CustomerCare.Revisits;
using BankClientele.Hosting.Auth;
using BankClientele.Portal.Accounts;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace BankClientele.Portal.Tests.Care;

/// <summary>A relationship manager's day on a phone: the agenda, a lobby alert, logging a visit, an export.</summary>
public sealed class MyDayTests : PortalPageTest
{
    private const string Branch = "UI003"; // its own branch, so the shared fixture's counts stay as they are
    private static readonly SaveStaffAccount Manager = new("ui.care.rm", PortalSystem.Password, "回访经理", StaffRoles.RelationshipManager, "UI-RM-C1", Branch);
    private static readonly SaveStaffAccount Lead = new("ui.care.lead", PortalSystem.Password, "回访行长", StaffRoles.BranchLead, "UI-BL-C1", Branch);
    private static Guid dueCustomer;

    [OneTimeSetUp]
    public async Task ArrangeAsync()
    {
        var services = PortalSystem.Services;
        await services.AddRelationshipManagerAsync(Manager.StaffId!, Branch, name: Manager.DisplayName);
        using (var portal = new HttpClient { BaseAddress = PortalSystem.Portal.Address })
        {
            portal.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.For(Tokens.Administrator));
            (await portal.PutAsJsonAsync("/api/staff-accounts", Manager)).EnsureSuccessStatusCode();
            (await portal.PutAsJsonAsync("/api/staff-accounts", Lead)).EnsureSuccessStatusCode();
        }
        // A private-banking customer of the book (as the core-banking feed would write them, not in
        // this branch yet), joined three weeks ago: the nightly pass makes their regular visit due today.
        await using (var db = services.CustomerCare.NewDbContext())
        {
            dueCustomer = Guid.NewGuid();
            db.Customers.Add(new Customer
            {
                Id = dueCustomer, FullName = "司马光", Phone = "13700001111", BranchCode = Branch, AccountNumber = "6222000011112222",
                RelationshipManagerId = Manager.StaffId, Tier = CustomerTiers.PrivateBanking, JoinedAt = DateTimeOffset.UtcNow.AddDays(-21),
            });
            // And one whose maturity visit was missed five days ago.
            var missed = Guid.NewGuid();
            db.Customers.Add(new Customer
            {
                Id = missed, FullName = "诸葛亮", Phone = "13700002222", BranchCode = Branch, AccountNumber = "6222000033334444",
                RelationshipManagerId = Manager.StaffId, Tier = CustomerTiers.Wealth, JoinedAt = DateTimeOffset.UtcNow.AddDays(-30),
            });
            db.Revisits.Add(new Revisit
            {
                Id = Guid.NewGuid(), CustomerId = missed, BranchCode = Branch, RelationshipManagerId = Manager.StaffId,
                Reason = RevisitReasons.Maturity, DueOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-5)), CreatedAt = DateTimeOffset.UtcNow.AddDays(-12),
            });
            await db.SaveChangesAsync();
        }
        using (var admin = services.CustomerCare.ClientFor(Tokens.Administrator))
        {
            (await admin.PostAsync("/api/revisits/run", null)).EnsureSuccessStatusCode();
        }
        // And they just walked into the branch.
        await services.FootTraffic.Get<IBus>().Publish(new HighValueCustomerCheckedIn(Guid.NewGuid(), dueCustomer, Branch, CustomerTiers.PrivateBanking, "大额取款", DateTimeOffset.UtcNow));
        await Poll.UntilAsync(async () =>
        {
            await using var db = services.CustomerCare.NewDbContext();
            return await db.LobbyAlerts.CountAsync(a => a.CustomerId == dueCustomer);
        }, n => n == 1, "the lobby alert");
    }

    [Test]
    public async Task On_a_phone_my_day_shows_the_lobby_alert_and_the_visit_due_and_logging_it_clears_it()
    {
        await Page.SetViewportSizeAsync(390, 844);
        await SignInAsync(Manager);
        await Page.GotoAsync("/care/my-day");

        await Expect(Page.GetByTestId("lobby-alerts")).ToContainTextAsync("司**");
        await Expect(Page.GetByTestId("lobby-alerts")).ToContainTextAsync("大额取款");
        var today = Page.GetByTestId("today");
        await Expect(today).ToContainTextAsync("司**");
        await Expect(today).ToContainTextAsync("定期回访");
        await Expect(today).Not.ToContainTextAsync("司马光");
        // Phone-friendly: nothing wider than the screen.
        var width = await Page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.That(width, Is.LessThanOrEqualTo(390 + 1));

        await today.GetByRole(AriaRole.Link, new() { Name = "登记回访" }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("/care/revisits/.+/log$"));
        await Page.GetByTestId("channel").SelectOptionAsync("customer-site");
        await Page.GetByTestId("outcome").FillAsync("买入理财");
        await Page.GetByTestId("notes").FillAsync("客户对养老理财感兴趣");
        await Page.GetByTestId("next-follow-up").FillAsync(DateTime.UtcNow.AddDays(20).ToString("yyyy-MM-dd"));
        await Page.GetByTestId("save").ClickAsync();

        await Expect(Page).ToHaveURLAsync(new Regex("/care/my-day\\?logged=true$"));
        await Expect(Page.GetByTestId("logged")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("today")).Not.ToContainTextAsync("司**");

        await using var db = PortalSystem.Services.CustomerCare.NewDbContext();
        var logged = await db.Revisits.AsNoTracking().SingleAsync(r => r.CustomerId == dueCustomer && r.Status == RevisitStatuses.Completed);
        Assert.Multiple(() =>
        {
            Assert.That(logged.Channel, Is.EqualTo("customer-site"));
            Assert.That(logged.Outcome, Is.EqualTo("买入理财"));
            Assert.That(logged.CompletedBy, Is.EqualTo(Manager.StaffId));
        });
        var next = await db.Revisits.AsNoTracking().SingleAsync(r => r.CustomerId == dueCustomer && r.Status == RevisitStatuses.Open);
        Assert.That(next.DueOn, Is.EqualTo(DateOnly.FromDateTime(DateTime.UtcNow.AddDays(20))), "the follow-up is the next revisit");
    }

    [Test]
    public async Task The_agenda_exports_to_csv_and_xlsx_with_the_managers_own_rows()
    {
        await SignInAsync(Manager);
        await Page.GotoAsync("/care/my-day");

        var csv = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId("export-care-agenda-csv").ClickAsync());
        Assert.That(csv.SuggestedFilename, Does.StartWith("agenda-").And.EndWith(".csv"));
        var text = await File.ReadAllTextAsync((await csv.PathAsync())!);
        Assert.That(text, Does.StartWith("客户,层级,原因").Or.StartWith("\uFEFF客户,层级,原因"));
        Assert.That(text, Does.Not.Contain("欧阳娜娜").And.Not.Contain("欧**"), "another manager's customer");

        var xlsx = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId("export-care-agenda-xlsx").ClickAsync());
        Assert.That(xlsx.SuggestedFilename, Does.EndWith(".xlsx"));
        var rows = MiniExcelLibs.MiniExcel.Query((await xlsx.PathAsync())!, useHeaderRow: true, excelType: MiniExcelLibs.ExcelType.XLSX).Cast<IDictionary<string, object>>().ToList();
        Assert.That(rows.Select(r => r.Keys.First()), Has.All.EqualTo("客户"));
    }

    [Test]
    public async Task A_branch_lead_sees_overdue_revisits_by_manager_and_on_time_rates_and_exports_them()
    {
        await SignInAsync(Lead);
        await Page.GotoAsync("/care/on-time");

        await Expect(Page.GetByTestId($"overdue-{Manager.StaffId}")).ToHaveTextAsync("1");
        var overdue = Page.GetByTestId("overdue-by-manager");
        await Expect(overdue).ToContainTextAsync("诸**");
        await Expect(overdue).ToContainTextAsync("定期存款到期");
        await Expect(overdue).ToContainTextAsync(Manager.StaffId!);
        await Expect(Page.GetByTestId("on-time-chart")).ToBeVisibleAsync();

        var csv = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId("export-care-overdue-csv").ClickAsync());
        var text = await File.ReadAllTextAsync((await csv.PathAsync())!);
        Assert.That(text, Does.Contain("诸**").And.Contain(Manager.StaffId!).And.Not.Contain("诸葛亮"));
    }
}
