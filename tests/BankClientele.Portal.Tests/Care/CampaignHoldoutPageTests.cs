using System.Net;
using System.Net.Http.Json;
using BankClientele.Acquisition.Campaigns;
using BankClientele.CustomerCare.Book;
using BankClientele.CustomerCare.Bundles;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Customers;
using BankClientele.Portal.Accounts;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Portal.Tests.Care;

/// <summary>
/// Where an offer or a lobby event is made, the branch's running campaigns can be chosen; an offer for a
/// campaign to a customer of its holdout is refused, and the page says why in the reader's language.
/// </summary>
public sealed class CampaignHoldoutPageTests : PortalPageTest
{
    private static readonly string Suffix = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
    private static readonly string Branch = $"UIHO{Suffix}";
    private static readonly string Campaign = $"HO-UI-{Suffix}";
    private static readonly SaveStaffAccount Lead = new($"ui.holdout.{Suffix.ToLowerInvariant()}", PortalSystem.Password, "活动行长", StaffRoles.BranchLead, $"UI-BL-HO-{Suffix}", Branch);
    private static readonly Guid HeldOut = Guid.NewGuid();

    [OneTimeSetUp]
    public async Task ArrangeAsync()
    {
        var services = PortalSystem.Services;
        using (var portal = new HttpClient { BaseAddress = PortalSystem.Portal.Address })
        {
            portal.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.For(Tokens.Administrator));
            (await portal.PutAsJsonAsync("/api/staff-accounts", Lead)).EnsureSuccessStatusCode();
        }
        using (var acquisition = services.Acquisition.ClientFor(Tokens.BranchLead(Branch)))
        {
            var created = await acquisition.PostAsJsonAsync("/api/campaigns", new CreateCampaign(Campaign, "存款回访", "targeted", Branch, 10_000m,
                BankClientele.Hosting.Time.BranchClock.System.Today, HoldoutFraction: 0.2));
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
            (await acquisition.PostAsync($"/api/campaigns/{Campaign}/approval", null)).EnsureSuccessStatusCode();
            (await acquisition.PostAsync($"/api/campaigns/{Campaign}/launch", null)).EnsureSuccessStatusCode();
        }
        using (var headOffice = services.CustomerCare.ClientFor(Tokens.HeadOffice))
        {
            (await headOffice.PutAsJsonAsync("/api/products", new SaveProduct($"TDH-{Suffix}", "一年期定期存款", ProductKind.TimeDeposit, 12, 1, 50_000m))).EnsureSuccessStatusCode();
            (await headOffice.PutAsJsonAsync("/api/products", new SaveProduct($"WMH-{Suffix}", "稳健理财", ProductKind.WealthManagement, null, 2, 10_000m))).EnsureSuccessStatusCode();
            (await headOffice.PutAsJsonAsync("/api/bundles", new SaveBundle($"BHO-{Suffix}", "定存+稳健理财", $"TDH-{Suffix}", [$"WMH-{Suffix}"]))).EnsureSuccessStatusCode();
        }
        var today = BankClientele.Hosting.Time.BranchClock.System.Today;
        await using var db = services.CustomerCare.NewDbContext();
        db.Customers.Add(new Customer
        {
            Id = HeldOut, CustomerNumber = $"HO{Suffix}", FullName = "对照客户", Phone = "13900005555", BranchCode = Branch,
            AccountNumber = "6222020055556666", Tier = CustomerTiers.Wealth, AverageAssets = 800_000m, DepositBalance = 500_000m,
            BalanceDate = today, RiskLevel = 3, RiskAssessedOn = today.AddMonths(-1), JoinedAt = DateTimeOffset.UtcNow.AddYears(-1),
        });
        // The audience as CampaignAudienceAssigned leaves it here (that path is CampaignHoldoutFlowTests' over the broker).
        db.Set<CampaignMembership>().Add(new CampaignMembership { CampaignCode = Campaign, CustomerId = HeldOut, HeldOut = true });
        await db.SaveChangesAsync();
    }

    [Test]
    public async Task An_offer_for_a_campaign_to_its_held_out_customer_is_refused_in_Chinese_and_the_planner_offers_the_campaign()
    {
        await SignInAsync(Lead);
        await Page.GotoAsync($"/care/customers/{HeldOut}");
        await Page.GetByTestId("offer-bundle").SelectOptionAsync($"BHO-{Suffix}");
        await Page.GetByTestId("offer-amount").FillAsync("100000");
        await Page.GetByTestId("offer-campaign").SelectOptionAsync(Campaign);
        await Page.GetByTestId("make-offer").ClickAsync();
        await Expect(Page.GetByTestId("offer-problem"))
            .ToContainTextAsync(Chinese("Problem.held-out-of-campaign").Replace("{campaignCode}", Campaign, StringComparison.Ordinal));
        await using (var db = PortalSystem.Services.CustomerCare.NewDbContext())
        {
            Assert.That(await db.Offers.AnyAsync(o => o.CustomerId == HeldOut), Is.False, "nothing was offered");
        }

        await Page.GotoAsync("/traffic/events");
        await Expect(Page.GetByTestId("campaign").Locator($"option[value='{Campaign}']")).ToHaveCountAsync(1);
    }
}
