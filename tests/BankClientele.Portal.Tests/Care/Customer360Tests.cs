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
/// The customer 360 and the customer list: a manager on a phone sees one customer whole (masked until
/// shown with a reason, which is audited), a manager of another branch is refused, a branch lead lists the
/// branch with the manager of each customer, sorted by assets, paged and exported.
/// </summary>
public sealed class Customer360Tests : PortalPageTest
{
    private const string Branch = "UI004";
    private const string OtherBranch = "UI005";
    private static readonly SaveStaffAccount Manager = new("ui.c360.rm", PortalSystem.Password, "视图经理", StaffRoles.RelationshipManager, "UI-RM-360", Branch);
    private static readonly SaveStaffAccount Colleague = new("ui.c360.rm2", PortalSystem.Password, "同行经理", StaffRoles.RelationshipManager, "UI-RM-360B", Branch);
    private static readonly SaveStaffAccount Stranger = new("ui.c360.other", PortalSystem.Password, "别行经理", StaffRoles.RelationshipManager, "UI-RM-360X", OtherBranch);
    private static readonly SaveStaffAccount Lead = new("ui.c360.lead", PortalSystem.Password, "视图行长", StaffRoles.BranchLead, "UI-BL-360", Branch);
    private static readonly Guid CustomerId = Guid.NewGuid();
    private static readonly Guid DueVisit = Guid.NewGuid();
    private static readonly string Suffix = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant(); // codes as the bank writes them: upper case

    [OneTimeSetUp]
    public async Task ArrangeAsync()
    {
        var services = PortalSystem.Services;
        await services.AddRelationshipManagerAsync(Manager.StaffId!, Branch, name: Manager.DisplayName);
        await services.AddRelationshipManagerAsync(Colleague.StaffId!, Branch, name: Colleague.DisplayName);
        await services.AddRelationshipManagerAsync(Stranger.StaffId!, OtherBranch, name: Stranger.DisplayName);
        using (var portal = new HttpClient { BaseAddress = PortalSystem.Portal.Address })
        {
            portal.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.For(Tokens.Administrator));
            foreach (var account in new[] { Manager, Colleague, Stranger, Lead })
            {
                (await portal.PutAsJsonAsync("/api/staff-accounts", account)).EnsureSuccessStatusCode();
            }
        }
        using (var headOffice = services.CustomerCare.ClientFor(Tokens.HeadOffice))
        {
            foreach (var product in new[]
                     {
                         new SaveProduct($"TD-{Suffix}", "一年期定期存款", ProductKind.TimeDeposit, 12, 1, 50_000m),
                         new SaveProduct($"WM-{Suffix}", "稳健理财", ProductKind.WealthManagement, null, 2, 10_000m),
                     })
            {
                (await headOffice.PutAsJsonAsync("/api/products", product)).EnsureSuccessStatusCode();
            }
            (await headOffice.PutAsJsonAsync("/api/bundles", new SaveBundle($"B360-{Suffix}", "定存+稳健理财组合", $"TD-{Suffix}", [$"WM-{Suffix}"]))).EnsureSuccessStatusCode();
        }

        var today = BankClientele.Hosting.Time.BranchClock.System.Today;
        await using var db = services.CustomerCare.NewDbContext();
        db.Customers.Add(new Customer
        {
            Id = CustomerId, CustomerNumber = $"C360{Suffix}", FullName = "欧阳修远", Phone = "13912345678", BranchCode = Branch,
            AccountNumber = "6222020012345678", IdType = "ID", IdNumber = "110101199003077777", RelationshipManagerId = Manager.StaffId,
            Tier = CustomerTiers.Wealth, AverageAssets = 900_000m, DepositBalance = 600_000m, WealthBalance = 300_000m, BalanceDate = today,
            RiskLevel = 3, RiskAssessedOn = today.AddMonths(-2), JoinedAt = DateTimeOffset.UtcNow.AddYears(-2),
        });
        db.Holdings.Add(new Holding { AccountNumber = "6222020012345678", CustomerId = CustomerId, ProductCode = "DEMAND", OpenedOn = today.AddYears(-2), Balance = 350_000m });
        db.Holdings.Add(new Holding { AccountNumber = "6222020087654321", CustomerId = CustomerId, ProductCode = $"TD-{Suffix}", OpenedOn = today.AddMonths(-11), MaturesOn = today.AddDays(20), Balance = 250_000m });
        for (var d = 0; d < 365; d += 1)
        {
            db.DailyBalances.Add(new DailyBalance { CustomerId = CustomerId, Date = today.AddDays(-d), Deposit = 600_000m - d * 500m, Wealth = 300_000m });
        }
        db.Revisits.Add(new Revisit
        {
            Id = Guid.NewGuid(), CustomerId = CustomerId, BranchCode = Branch, RelationshipManagerId = Manager.StaffId, Reason = RevisitReasons.Scheduled,
            DueOn = today.AddDays(-40), CreatedAt = DateTimeOffset.UtcNow.AddDays(-80), Status = RevisitStatuses.Completed,
            CompletedAt = DateTimeOffset.UtcNow.AddDays(-41), CompletedBy = Manager.StaffId, Channel = "phone", Outcome = "约定到期面谈", OnTime = true,
        });
        db.Revisits.Add(new Revisit
        {
            Id = DueVisit, CustomerId = CustomerId, BranchCode = Branch, RelationshipManagerId = Manager.StaffId, Reason = RevisitReasons.Maturity,
            DueOn = today.AddDays(5), CreatedAt = DateTimeOffset.UtcNow.AddDays(-1), Detail = $"TD-{Suffix}",
        });
        db.Offers.Add(new Offer
        {
            Id = Guid.NewGuid(), CustomerId = CustomerId, BranchCode = Branch, RelationshipManagerId = Manager.StaffId, BundleCode = $"B360-{Suffix}",
            Amount = 200_000m, Status = OfferStatus.Expired, ProposedBy = Manager.StaffId!, ProposedAt = DateTimeOffset.UtcNow.AddDays(-30), ExpiresOn = today.AddDays(-16),
        });
        // The colleague's customers: the lead's list shows them with their manager; a rich one heads the AUM sort.
        for (var i = 0; i < 30; i++)
        {
            db.Customers.Add(new Customer
            {
                Id = Guid.NewGuid(), CustomerNumber = $"C360{Suffix}{i:D2}", FullName = $"同行客户{i}", Phone = $"1390000{i:D4}", BranchCode = Branch,
                AccountNumber = $"62220300{i:D8}", RelationshipManagerId = Colleague.StaffId, Tier = i == 7 ? CustomerTiers.PrivateBanking : CustomerTiers.Mass,
                AverageAssets = i == 7 ? 9_000_000m : 10_000m + i, JoinedAt = DateTimeOffset.UtcNow.AddDays(-i),
            });
        }
        await db.SaveChangesAsync();
    }

    [Test]
    public async Task On_a_phone_the_manager_sees_the_customer_whole_and_masked_and_showing_it_needs_a_reason_that_is_audited()
    {
        await Page.SetViewportSizeAsync(390, 844);
        await SignInAsync(Manager);
        await Page.GotoAsync("/customers");
        await Page.GetByTestId($"open-{CustomerId}").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex($"/care/customers/{CustomerId}$"));

        await Expect(Page.GetByTestId("customer-name")).ToContainTextAsync("欧**");
        await Expect(Page.GetByTestId("phone")).ToHaveTextAsync("139****5678");
        await Expect(Page.GetByTestId("profile")).Not.ToContainTextAsync("欧阳修远");
        await Expect(Page.GetByTestId("holdings")).ToContainTextAsync($"TD-{Suffix}");
        await Expect(Page.GetByTestId("holdings")).ToContainTextAsync("250,000.00");
        await Expect(Page.GetByTestId("holdings")).Not.ToContainTextAsync("6222020087654321");
        await Expect(Page.GetByTestId("balance-chart").Locator(".rz-line-series")).ToHaveCountAsync(2);
        var visits = Page.GetByTestId("visits");
        await Expect(visits).ToContainTextAsync("约定到期面谈");
        await Expect(visits).ToContainTextAsync("定期存款到期");
        await Expect(Page.GetByTestId($"log-{DueVisit}")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId($"recommendation-B360-{Suffix}")).ToContainTextAsync("定存+稳健理财组合");
        await Expect(Page.GetByTestId("offers")).ToContainTextAsync("已过期");
        var width = await Page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.That(width, Is.LessThanOrEqualTo(390 + 1), "phone-friendly: nothing wider than the screen");

        // The reason is required: the browser keeps an empty one from leaving.
        await Page.GetByTestId("reveal").ClickAsync();
        await Expect(Page.GetByTestId("revealed")).ToHaveCountAsync(0);
        await Page.GetByTestId("reveal-reason").FillAsync("回电确认到期续存");
        await Page.GetByTestId("reveal").ClickAsync();

        await Expect(Page.GetByTestId("revealed")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("customer-name")).ToContainTextAsync("欧阳修远");
        await Expect(Page.GetByTestId("phone")).ToHaveTextAsync("13912345678");
        await Expect(Page.GetByTestId("id-number")).ToHaveTextAsync("110101199003077777");
        await using var db = PortalSystem.Services.CustomerCare.NewDbContext();
        var audit = await db.PersonalDataViews.AsNoTracking().Where(v => v.SubjectId == CustomerId).ToListAsync();
        Assert.That(audit, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(audit[0].StaffId, Is.EqualTo(Manager.StaffId));
            Assert.That(audit[0].Reason, Is.EqualTo("回电确认到期续存"));
            Assert.That(audit[0].Fields, Does.Contain("IdNumber"));
        });
    }

    [Test]
    public async Task A_manager_of_another_branch_is_refused_the_customer_and_sees_nothing_of_them()
    {
        await SignInAsync(Stranger);
        await Page.GotoAsync($"/care/customers/{CustomerId}");

        await Expect(Page.GetByTestId("not-yours")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("holdings")).ToHaveCountAsync(0);
        await Expect(Page.Locator("body")).Not.ToContainTextAsync("欧**");
        await Expect(Page.GetByTestId("reveal")).ToHaveCountAsync(0);
    }

    [Test]
    public async Task The_agenda_links_to_the_customer_360()
    {
        await SignInAsync(Manager);
        await Page.GotoAsync("/care/my-day");
        await Page.GetByTestId("upcoming").GetByTestId($"customer-{CustomerId}").ClickAsync();

        await Expect(Page).ToHaveURLAsync(new Regex($"/care/customers/{CustomerId}$"));
        await Expect(Page.GetByTestId("holdings")).ToBeVisibleAsync();
    }

    [Test]
    public async Task A_branch_lead_lists_the_branch_with_each_manager_filters_sorts_by_assets_pages_and_exports()
    {
        await SignInAsync(Lead);
        await Page.GotoAsync("/customers");
        await Page.GetByTestId("search").FillAsync($"C360{Suffix}");
        await Page.GetByTestId("sort").SelectOptionAsync("aum");
        await Page.GetByTestId("filter").ClickAsync();

        // 31 customers of the search, 25 a page: the private-banking customer first, then the manager's own.
        await Expect(Page.GetByTestId("page-of")).ToContainTextAsync("第 1 / 2 页，共 31 位客户");
        var first = Page.GetByTestId("customers").Locator("tbody tr").First;
        await Expect(first).ToContainTextAsync("私人银行客户");
        await Expect(first.GetByTestId("manager")).ToHaveTextAsync(Colleague.DisplayName);
        await Expect(Page.GetByTestId("customers").Locator("tbody tr").Nth(1).GetByTestId("manager")).ToHaveTextAsync(Manager.DisplayName);
        await Expect(Page.GetByTestId("customers").Locator("tbody tr")).ToHaveCountAsync(25);
        await Page.GetByTestId("next").ClickAsync();
        await Expect(Page.GetByTestId("customers").Locator("tbody tr")).ToHaveCountAsync(6);

        await Page.GetByTestId("tier").SelectOptionAsync("PrivateBanking");
        await Page.GetByTestId("filter").ClickAsync();
        await Expect(Page.GetByTestId("customers").Locator("tbody tr")).ToHaveCountAsync(1);

        var csv = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId("export-care-customers-csv").ClickAsync());
        var text = await File.ReadAllTextAsync((await csv.PathAsync())!);
        Assert.That(text, Does.Contain($"C360{Suffix}07").And.Contain(Colleague.DisplayName).And.Not.Contain($"C360{Suffix}08"));
        var xlsx = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId("export-care-customers-xlsx").ClickAsync());
        var rows = MiniExcelLibs.MiniExcel.Query((await xlsx.PathAsync())!, useHeaderRow: true, excelType: MiniExcelLibs.ExcelType.XLSX).Cast<IDictionary<string, object>>().ToList();
        Assert.That(rows, Has.Count.EqualTo(1));
        Assert.That(rows[0]["客户号"], Is.EqualTo($"C360{Suffix}07"));
    }
}
