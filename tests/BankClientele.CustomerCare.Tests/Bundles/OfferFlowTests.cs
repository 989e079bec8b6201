using System.Net;
using System.Net.Http.Json;
using BankClientele.CustomerCare.Book;
using BankClientele.CustomerCare.Bundles;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BankClientele.CustomerCare.Tests.Bundles;

/// <summary>Catalogue, suitability, recommendations and offers over the real database and broker.</summary>
public sealed class OfferFlowTests
{
    private string branch = null!;
    private string suffix = null!;

    [SetUp]
    public async Task CatalogueAsync()
    {
        branch = TestServers.UniqueBranch();
        suffix = branch[^6..];
        using var headOffice = TestSystem.CustomerCare.ClientFor(Tokens.HeadOffice);
        foreach (var product in new[]
        {
            new SaveProduct($"TD1Y-{suffix}", "一年期定期存款", ProductKind.TimeDeposit, 12, 1, 50_000m),
            new SaveProduct($"WM2-{suffix}", "稳健理财", ProductKind.WealthManagement, null, 2, 10_000m),
            new SaveProduct($"FUND4-{suffix}", "成长基金", ProductKind.Fund, null, 4, 1_000m),
        })
        {
            var saved = await headOffice.PutAsJsonAsync("/api/products", product);
            Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await saved.Content.ReadAsStringAsync());
        }
        foreach (var bundle in new[]
        {
            new SaveBundle($"SAFE-{suffix}", "定存+稳健理财", $"TD1Y-{suffix}", [$"WM2-{suffix}"]),
            new SaveBundle($"GROW-{suffix}", "定存+成长基金", $"TD1Y-{suffix}", [$"WM2-{suffix}", $"FUND4-{suffix}"]),
        })
        {
            var saved = await headOffice.PutAsJsonAsync("/api/bundles", bundle);
            Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await saved.Content.ReadAsStringAsync());
        }
        await TestSystem.Services.AddRelationshipManagerAsync($"{branch}-RM1", branch, capacity: 50);
    }

    [Test]
    public async Task A_bundle_above_the_customers_risk_level_is_refused_naming_the_field_and_an_expired_assessment_too()
    {
        var cautious = await AddCustomerAsync(riskLevel: 2, assessedDaysAgo: 30);
        using var manager = TestSystem.CustomerCare.ClientFor(Tokens.RelationshipManager($"{branch}-RM1", branch));
        var refused = await manager.PostAsJsonAsync("/api/offers", new ProposeOffer(cautious, $"GROW-{suffix}", 100_000m, null));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await refused.Content.ReadFromJsonAsync<ValidationProblemDetails>();
        Assert.That(problem!.Errors.Keys, Is.EquivalentTo(new[] { "bundleCode" }));
        Assert.That(problem.Errors["bundleCode"].Single(), Does.Contain($"FUND4-{suffix}"));

        var expired = await AddCustomerAsync(riskLevel: 5, assessedDaysAgo: 400);
        var stale = await manager.PostAsJsonAsync("/api/offers", new ProposeOffer(expired, $"SAFE-{suffix}", 100_000m, null));
        Assert.That(stale.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await stale.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys, Has.Member("riskAssessedOn"));

        await using var db = TestSystem.CustomerCare.NewDbContext();
        Assert.That(await db.Offers.CountAsync(o => o.BranchCode == branch), Is.Zero, "nothing was recorded");
    }

    [Test]
    public async Task Recommendations_list_only_suitable_bundles_with_the_reasons_from_the_book()
    {
        var customer = await AddCustomerAsync(riskLevel: 3, assessedDaysAgo: 10, deposit: 300_000m);
        await using (var db = TestSystem.CustomerCare.NewDbContext())
        {
            var today = BankClientele.Hosting.Time.BranchClock.System.Today;
            db.Holdings.Add(new Holding { AccountNumber = $"D{customer:N}"[..30], CustomerId = customer, ProductCode = "DEMAND", Balance = 120_000m, OpenedOn = today.AddYears(-2) });
            db.Holdings.Add(new Holding { AccountNumber = $"T{customer:N}"[..30], CustomerId = customer, ProductCode = $"TD1Y-{suffix}", Balance = 180_000m, OpenedOn = today.AddYears(-1), MaturesOn = today.AddDays(7) });
            db.DailyBalances.Add(new DailyBalance { CustomerId = customer, Date = today.AddDays(-40), Deposit = 100_000m });
            await db.SaveChangesAsync();
        }
        using var manager = TestSystem.CustomerCare.ClientFor(Tokens.RelationshipManager($"{branch}-RM1", branch));
        var result = await ServiceSystem.GetAsync<CustomerRecommendations>(manager, $"/api/customers/{customer}/recommendations");
        var safe = result!.Recommendations.Single(r => r.BundleCode.EndsWith(suffix, StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(safe.BundleCode, Is.EqualTo($"SAFE-{suffix}"), "GROW holds an R4 fund, above C3");
            Assert.That(safe.Reasons.Select(r => r.Code), Is.EquivalentTo(new[] { "idle-demand-balance", "time-deposit-maturing", "no-wealth-product", "recent-large-inflow" }));
            Assert.That(safe.Score, Is.EqualTo(100));
        });

        using var otherManager = TestSystem.CustomerCare.ClientFor(Tokens.RelationshipManager($"{branch}-RM9", branch));
        Assert.That((await otherManager.GetAsync($"/api/customers/{customer}/recommendations")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound),
            "another manager's customer reads as absent");
    }

    [Test]
    public async Task An_offer_expiring_in_the_past_is_refused_to_a_manager_and_recorded_as_expired_for_an_administrator()
    {
        var customer = await AddCustomerAsync(riskLevel: 3, assessedDaysAgo: 10);
        var lapsed = new ProposeOffer(customer, $"SAFE-{suffix}", 60_000m, BankClientele.Hosting.Time.BranchClock.System.Today.AddDays(-3));
        using var manager = TestSystem.CustomerCare.ClientFor(Tokens.RelationshipManager($"{branch}-RM1", branch));
        var refused = await manager.PostAsJsonAsync("/api/offers", lapsed);
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await refused.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys, Is.EqualTo(new[] { "expiresOn" }));

        using var admin = TestSystem.CustomerCare.ClientFor(Tokens.Administrator);
        var recorded = await admin.PostAsJsonAsync("/api/offers", lapsed);
        Assert.That(recorded.StatusCode, Is.EqualTo(HttpStatusCode.Created), await recorded.Content.ReadAsStringAsync());
        var offer = (await recorded.Content.ReadFromJsonAsync<OfferView>())!;
        Assert.That(offer.Status, Is.EqualTo(OfferStatus.Expired));
        Assert.That((await manager.PostAsync($"/api/offers/{offer.Id}/accept", null)).StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
    }

    [Test]
    public async Task Accepting_publishes_BundleAccepted_once_and_rates_count_every_outcome()
    {
        using var manager = TestSystem.CustomerCare.ClientFor(Tokens.RelationshipManager($"{branch}-RM1", branch));
        var offers = new List<OfferView>();
        for (var i = 0; i < 3; i++)
        {
            var customer = await AddCustomerAsync(riskLevel: 3, assessedDaysAgo: 10);
            var created = await manager.PostAsJsonAsync("/api/offers", new ProposeOffer(customer, $"SAFE-{suffix}", 60_000m, null));
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
            offers.Add((await created.Content.ReadFromJsonAsync<OfferView>())!);
        }

        var accepts = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => manager.PostAsync($"/api/offers/{offers[0].Id}/accept", null)));
        Assert.That(accepts.Select(r => r.StatusCode), Is.EquivalentTo(new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }), "two clicks, one acceptance");
        Assert.That((await manager.PostAsync($"/api/offers/{offers[1].Id}/decline", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var published = await Poll.UntilAsync(
            () => TestDatabases.ScalarAsync<long>(TestSystem.CustomerCare.Database,
                $"SELECT count(*) FROM outbox_messages WHERE body->>'offerId' = '{offers[0].Id}' AND sent_at IS NOT NULL"),
            n => n >= 1, "BundleAccepted to be published to the broker");
        Assert.That(published, Is.EqualTo(1));
        Assert.That(await TestDatabases.ScalarAsync<long>(TestSystem.CustomerCare.Database,
            $"SELECT count(*) FROM outbox_messages WHERE body->>'branchCode' = '{branch}' AND message_type LIKE '%BundleAccepted%'"), Is.EqualTo(1));

        // The third expires: its date moved into the past, then the expiry job runs.
        await using (var db = TestSystem.CustomerCare.NewDbContext())
        {
            await db.Offers.Where(o => o.Id == offers[2].Id).ExecuteUpdateAsync(s => s.SetProperty(o => o.ExpiresOn, BankClientele.Hosting.Time.BranchClock.System.Today.AddDays(-1)));
        }
        using (var scope = TestSystem.CustomerCare.Services.CreateScope())
        {
            Assert.That(await scope.ServiceProvider.GetRequiredService<OfferExpiryJob>().RunAsync(CancellationToken.None), Is.GreaterThanOrEqualTo(1));
        }
        var expired = await ServiceSystem.GetAsync<List<OfferView>>(manager, $"/api/offers?customerId={offers[2].CustomerId}&status=Expired");
        Assert.That(expired!.Single().Id, Is.EqualTo(offers[2].Id));
        Assert.That((await manager.PostAsync($"/api/offers/{offers[2].Id}/accept", null)).StatusCode, Is.EqualTo(HttpStatusCode.Conflict));

        using var lead = TestSystem.CustomerCare.ClientFor(Tokens.BranchLead(branch));
        var rates = await ServiceSystem.GetAsync<AcceptanceRates>(lead, "/api/bundles/acceptance");
        var bundle = rates!.ByBundle.Single(r => r.Key == $"SAFE-{suffix}");
        Assert.That(bundle, Has.Property("Accepted").EqualTo(1).And.Property("Declined").EqualTo(1).And.Property("Expired").EqualTo(1));
        Assert.That(bundle.Rate, Is.EqualTo(1.0 / 3).Within(1e-3));
        Assert.That(rates.ByManager.Single(r => r.Key == $"{branch}-RM1").Accepted, Is.EqualTo(1));

        using var otherLead = TestSystem.CustomerCare.ClientFor(Tokens.BranchLead(TestServers.UniqueBranch()));
        var otherRates = await ServiceSystem.GetAsync<AcceptanceRates>(otherLead, "/api/bundles/acceptance");
        Assert.That(otherRates!.ByBundle.Where(r => r.Key == $"SAFE-{suffix}"), Is.Empty, "another branch's lead sees none of these offers");
    }

    [Test]
    public async Task A_customer_who_answers_later_keeps_the_offer_open_to_accept_and_it_counts_as_undecided()
    {
        var customer = await AddCustomerAsync(riskLevel: 3, assessedDaysAgo: 10);
        using var manager = TestSystem.CustomerCare.ClientFor(Tokens.RelationshipManager($"{branch}-RM1", branch));
        var made = await manager.PostAsJsonAsync("/api/offers", new ProposeOffer(customer, $"SAFE-{suffix}", 100_000m, null));
        Assert.That(made.StatusCode, Is.EqualTo(HttpStatusCode.Created), await made.Content.ReadAsStringAsync());
        var offer = (await made.Content.ReadFromJsonAsync<OfferView>())!;

        var later = await manager.PostAsync($"/api/offers/{offer.Id}/later", null);
        Assert.That(later.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var deferred = (await later.Content.ReadFromJsonAsync<OfferView>())!;
        Assert.Multiple(() =>
        {
            Assert.That(deferred.Status, Is.EqualTo(OfferStatus.Later));
            Assert.That(deferred.DecidedAt, Is.Null, "not decided yet");
        });
        Assert.That((await manager.PostAsync($"/api/offers/{offer.Id}/later", null)).StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "later once");
        var rates = await ServiceSystem.GetAsync<AcceptanceRates>(manager, "/api/bundles/acceptance");
        var row = rates!.ByBundle.Single(r => r.Key == $"SAFE-{suffix}");
        Assert.That((row.Proposed, row.Rate), Is.EqualTo((1, (double?)null)), "a 'later' is still open, not a decision");

        var accepted = await manager.PostAsync($"/api/offers/{offer.Id}/accept", null);
        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await accepted.Content.ReadFromJsonAsync<OfferView>())!.Status, Is.EqualTo(OfferStatus.Accepted));
    }

    private async Task<Guid> AddCustomerAsync(int riskLevel, int assessedDaysAgo, decimal deposit = 200_000m)
    {
        await using var db = TestSystem.CustomerCare.NewDbContext();
        var id = Guid.NewGuid();
        db.Customers.Add(new Customer
        {
            Id = id,
            CustomerNumber = $"T{id:N}"[..20],
            FullName = "赵六",
            Phone = "13900002222",
            BranchCode = branch,
            AccountNumber = "6222000011112222",
            Tier = CustomerTiers.Wealth,
            RiskLevel = riskLevel,
            RiskAssessedOn = BankClientele.Hosting.Time.BranchClock.System.Today.AddDays(-assessedDaysAgo),
            DepositBalance = deposit,
            RelationshipManagerId = $"{branch}-RM1",
            JoinedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
        return id;
    }
}
