using System.Net.Http.Json;
using BankClientele.Contracts.CustomerCare;
using BankClientele.CustomerCare.Bundles;
using BankClientele.Insights.Holdings;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Portal.Tests.HeadOffice;

/// <summary>The product-holdings page in Chromium: head office's view of a branch, and a branch lead kept to their own.</summary>
public sealed class ProductHoldingsPageTests : PortalPageTest
{
    private const string Term = "UI-HOLD-TD";
    private const string Wealth = "UI-HOLD-WM";
    private const string Elsewhere = "UI-HOLD-OTHER";
    private const string TermName = "持有页一年定期";
    private static readonly DateOnly Opened = new(2026, 5, 12);

    [OneTimeSetUp]
    public async Task PublishAsync()
    {
        var bus = PortalSystem.Services.Insights.Get<IBus>();
        var customers = Enumerable.Range(0, 2).Select(i => Hosting.Customers.CustomerIds.FromCustomerNumber($"UI-HOLD-{i}")).ToArray();
        await bus.Publish(new AccountOpenedV2(customers[0], "UI-HOLD-0", "UI-HOLD-ACC-0", Term, PortalSystem.Branch, Opened, 30_000m, null, null, false));
        await bus.Publish(new AccountOpenedV2(customers[1], "UI-HOLD-1", "UI-HOLD-ACC-1", Term, PortalSystem.Branch, Opened.AddMonths(1), 20_000m, null, null, false));
        await bus.Publish(new AccountOpenedV2(customers[1], "UI-HOLD-1", "UI-HOLD-ACC-2", Wealth, PortalSystem.Branch, Opened.AddMonths(1), 100_000m, null, null, false));
        await bus.Publish(new AccountOpenedV2(Guid.NewGuid(), "UI-HOLD-9", "UI-HOLD-ACC-9", Elsewhere, PortalSystem.OtherBranch, Opened, 5_000m, null, null, true));
        // The term deposit is in CustomerCare's catalogue (the wealth product is not): the page names it as the catalogue does.
        using (var catalogue = PortalSystem.Services.CustomerCare.ClientFor(Tokens.HeadOffice))
        {
            (await catalogue.PutAsJsonAsync("/api/products", new SaveProduct(Term, TermName, ProductKind.TimeDeposit, 12, 1, 50m))).EnsureSuccessStatusCode();
        }
        await using var db = PortalSystem.Services.Insights.NewDbContext();
        await Poll.UntilAsync(() => db.Set<AnalyticAccount>().CountAsync(a => a.AccountNumber.StartsWith("UI-HOLD-ACC-")), n => n == 4, "the accounts");
    }

    [Test]
    public async Task Head_office_reads_a_branch_product_mix_with_its_chart_and_exports_it()
    {
        await SignInAsync(PortalSystem.HeadOffice);
        await Page.GetByTestId("nav-insights/products").ClickAsync();
        await Expect(Page.GetByTestId("holdings-form")).ToBeVisibleAsync();
        await Page.GotoAsync($"/insights/products?from=2026-05-01&to=2026-06-30&branchCode={PortalSystem.Branch}");

        var row = Page.GetByTestId("product-row").Filter(new() { HasText = Term });
        await Expect(row).ToBeVisibleAsync();
        var cells = await row.Locator("td").AllInnerTextsAsync();
        Assert.Multiple(() =>
        {
            Assert.That(cells[0], Is.EqualTo($"{TermName} {Term}"), "the catalogue's name, then the code");
            Assert.That(cells[1], Is.EqualTo("2"), "holders");
            Assert.That(cells[3], Is.EqualTo("2"), "accounts opened in May and June");
            Assert.That(cells[5], Is.EqualTo("50,000"), "first deposits");
        });
        await Expect(Page.GetByTestId("product-row").Filter(new() { HasText = Elsewhere })).ToHaveCountAsync(0);
        await Expect(Page.GetByTestId("product-openings-chart")).ToBeVisibleAsync();
        var csv = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId("export-insights-product-holdings-csv").ClickAsync());
        var text = await File.ReadAllTextAsync((await csv.PathAsync())!);
        Assert.That(text, Does.Contain($"{TermName} · {Term}").And.Contain(Wealth).And.Not.Contain(Elsewhere));
    }

    [Test]
    public async Task A_branch_lead_sees_their_branch_only()
    {
        await SignInAsync(PortalSystem.BranchLead);
        await Page.GetByTestId("nav-insights/products").ClickAsync();
        await Page.GotoAsync("/insights/products?from=2026-05-01&to=2026-06-30");
        await Expect(Page.GetByTestId("product-row").Filter(new() { HasText = Wealth })).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("product-row").Filter(new() { HasText = Elsewhere })).ToHaveCountAsync(0);

        // Asking for another branch by address is refused by the service, and the page says so.
        await Page.GotoAsync($"/insights/products?branchCode={PortalSystem.OtherBranch}");
        await Expect(Page.GetByTestId("unavailable")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("product-row")).ToHaveCountAsync(0);
    }
}
