using System.Net.Http.Json;
using BankClientele.CustomerCare.Book;
using BankClientele.CustomerCare.Bundles;
using BankClientele.Hosting.Auth;
using BankClientele.Portal.Accounts;

namespace BankClientele.Portal.Tests.Care;

/// <summary>The branch lead's assignment page and the bundles page, in Chromium, on data arranged through the services.</summary>
public sealed class AssignmentPageTests : PortalPageTest
{
    private const string RebalanceBranch = "UIAS1";
    private const string CapacityBranch = "UIAS2";
    private static readonly SaveStaffAccount RebalanceLead = new("ui.as1.lead", PortalSystem.Password, "分配测试行长", StaffRoles.BranchLead, "UI-AS1-BL", RebalanceBranch);
    private static readonly SaveStaffAccount CapacityLead = new("ui.as2.lead", PortalSystem.Password, "容量测试行长", StaffRoles.BranchLead, "UI-AS2-BL", CapacityBranch);
    private Guid movable;

    [OneTimeSetUp]
    public async Task ArrangeAsync()
    {
        var services = PortalSystem.Services;
        await services.AddRelationshipManagerAsync("UI-AS1-BUSY", RebalanceBranch, capacity: 20, name: "忙碌经理");
        await services.AddRelationshipManagerAsync("UI-AS1-IDLE", RebalanceBranch, capacity: 20, name: "空闲经理");
        await AddCustomersAsync(RebalanceBranch, "UI-AS1-BUSY", 10);
        await services.AddRelationshipManagerAsync("UI-AS2-FULL", CapacityBranch, capacity: 2, name: "满员经理");
        await services.AddRelationshipManagerAsync("UI-AS2-ROOM", CapacityBranch, capacity: 40, name: "有余经理");
        await AddCustomersAsync(CapacityBranch, "UI-AS2-FULL", 1);
        movable = (await AddCustomersAsync(CapacityBranch, "UI-AS2-ROOM", 1)).Single();

        // A bundle with one accepted offer, through the API.
        using var headOffice = services.CustomerCare.ClientFor(Tokens.HeadOffice);
        (await headOffice.PutAsJsonAsync("/api/products", new SaveProduct("UI-TD1Y", "一年定期", ProductKind.TimeDeposit, 12, 1, 50m))).EnsureSuccessStatusCode();
        (await headOffice.PutAsJsonAsync("/api/products", new SaveProduct("UI-WM2", "稳健理财", ProductKind.WealthManagement, null, 2, 10_000m))).EnsureSuccessStatusCode();
        (await headOffice.PutAsJsonAsync("/api/bundles", new SaveBundle("UI-STEADY", "定期+稳健理财", "UI-TD1Y", ["UI-WM2"]))).EnsureSuccessStatusCode();
        using var lead = services.CustomerCare.ClientFor(Tokens.BranchLead(CapacityBranch));
        var offer = await (await lead.PostAsJsonAsync("/api/offers", new ProposeOffer(movable, "UI-STEADY", 100_000m, null))).EnsureSuccessStatusCode()
            .Content.ReadFromJsonAsync<OfferView>();
        (await lead.PostAsync($"/api/offers/{offer!.Id}/accept", null)).EnsureSuccessStatusCode();

        using var portal = new HttpClient { BaseAddress = PortalSystem.Portal.Address };
        portal.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.For(Tokens.Administrator));
        foreach (var account in new[] { RebalanceLead, CapacityLead })
        {
            (await portal.PutAsJsonAsync("/api/staff-accounts", account)).EnsureSuccessStatusCode();
        }
    }

    [Test]
    public async Task A_branch_lead_sees_the_books_previews_a_rebalance_with_reasons_and_applies_it()
    {
        await SignInAsync(RebalanceLead);
        await Page.GotoAsync("/care/assignment");

        await Expect(Page.GetByTestId("load-UI-AS1-BUSY")).ToHaveTextAsync("20");
        await Expect(Page.GetByTestId("load-UI-AS1-IDLE")).ToHaveTextAsync("0");
        await Expect(Page.GetByTestId("load-chart")).ToContainTextAsync("UI-AS1-IDLE");
        var preview = Page.GetByTestId("preview");
        await Expect(preview).ToContainTextAsync("负荷均衡");
        await Expect(preview).ToContainTextAsync("UI-AS1-IDLE");

        // The books and the preview export as the page shows them: the busy manager's load, a move and its reason.
        var books = await DownloadCsvAsync("care-books");
        Assert.That(books, Has.Some.StartWith("忙碌经理,UI-AS1-BUSY,UIAS1,在岗,,10,").And.Some.EndWith(",20,20"));
        var busy = (await DownloadXlsxAsync("care-books")).Single(r => (string)r[Chinese("Staff.StaffId")] == "UI-AS1-BUSY");
        Assert.That(Convert.ToInt32(busy[Chinese("Assign.Load")], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(20));
        var moves = await DownloadCsvAsync("care-rebalance");
        Assert.That(moves, Has.Some.Match("^U[0-9a-f]{19},财富客户,UI-AS1-BUSY,UI-AS1-IDLE,负荷均衡$"));

        await Page.GetByTestId("apply").ClickAsync();
        await Expect(Page.GetByTestId("apply-result")).ToContainTextAsync("已执行");
        await Expect(Page.GetByTestId("load-UI-AS1-IDLE")).Not.ToHaveTextAsync("0");
        await Expect(Page.GetByTestId("preview")).ToHaveTextAsync("当前分配已均衡，无需调整。");
    }

    [Test]
    public async Task Reassigning_to_a_full_manager_is_refused_plainly_in_the_what_if()
    {
        await SignInAsync(CapacityLead);
        await Page.GotoAsync("/care/assignment");

        // Picked by name: both customers are called 钱七, so the lead chooses the one by number; the manager by name.
        await Page.GetByTestId("pick-customer-name").FillAsync("钱七");
        await Page.GetByTestId("pick-manager-name").FillAsync("满员");
        await Page.GetByTestId("pick-search").ClickAsync();
        await Page.GetByTestId($"pick-customer-{$"U{movable:N}"[..20]}").CheckAsync();
        await Expect(Page.GetByTestId("pick-manager-UI-AS2-FULL")).ToBeCheckedAsync();
        await Page.GetByTestId("what-if").ClickAsync();

        var refusal = Page.GetByTestId("what-if-refusal");
        // The manager's load and capacity and the customer's weight, in the Chinese words (the service's English "carries 2 of 2 units" stays in its answer).
        await Expect(refusal).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"该客户经理的客户数已满：已占用 2/2 个单位，该客户需 \d+ 个单位。"));
        Assert.That(BankClientele.Portal.Tests.Language.ChineseOnlyTests.LatinWords(await refusal.InnerTextAsync()), Is.Empty);
        await Expect(refusal).Not.ToContainTextAsync("{");
        await Expect(Page.GetByTestId("reassign")).ToHaveCountAsync(0);
        await Expect(Page.GetByTestId("after-UI-AS2-FULL")).ToHaveTextAsync("2");
        await Expect(Page.GetByTestId("load-UI-AS2-FULL")).ToHaveTextAsync("2");

        // The what-if exports with each manager's load before and after.
        var before = await Page.GetByTestId("before-UI-AS2-FULL").InnerTextAsync();
        Assert.That(await DownloadCsvAsync("care-what-if"), Has.Some.EqualTo($"满员经理,UI-AS2-FULL,{before},2,2"));
    }

    [Test]
    public async Task The_bundles_page_shows_the_catalogue_and_acceptance_in_scope()
    {
        await SignInAsync(CapacityLead);
        await Page.GotoAsync("/care/bundles");

        await Expect(Page.GetByTestId("bundles")).ToContainTextAsync("定期+稳健理财");
        await Expect(Page.GetByTestId("products")).ToContainTextAsync("UI-WM2");
        await Expect(Page.GetByTestId("rates-bundle-UI-STEADY")).ToContainTextAsync("100%");
        await Expect(Page.GetByTestId("rates-manager-UI-AS2-ROOM")).ToBeVisibleAsync();
    }

    private static async Task<List<Guid>> AddCustomersAsync(string branch, string manager, int count)
    {
        // The core-banking feed fills the book in production; here Wealth customers go straight in.
        await using var db = PortalSystem.Services.CustomerCare.NewDbContext();
        var ids = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToList();
        foreach (var id in ids)
        {
            db.Customers.Add(new Customer
            {
                Id = id,
                CustomerNumber = $"U{id:N}"[..20],
                FullName = "钱七",
                Phone = "13700003333",
                BranchCode = branch,
                AccountNumber = "6222000033334444",
                Tier = CustomerTiers.Wealth,
                RiskLevel = 3,
                RiskAssessedOn = BankClientele.Hosting.Time.BranchClock.System.Today.AddDays(-30),
                DepositBalance = 600_000m,
                AverageAssets = 600_000m,
                RelationshipManagerId = manager,
                JoinedAt = DateTimeOffset.UtcNow,
            });
        }
        await db.SaveChangesAsync();
        return ids;
    }
}
