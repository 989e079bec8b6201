using System.Net;
using System.Net.Http.Json;
using BankClientele.Contracts.CustomerCare;
using BankClientele.Insights.Holdings;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Insights.Tests.Holdings;

/// <summary>AccountOpened into the analytic store over the real broker (copies included), and the product mix read from it.</summary>
public sealed class HoldingsTests
{
    private static IBus Bus => TestSystem.Insights.Get<IBus>();

    [Test]
    public async Task Product_mix_counts_each_account_once_and_is_scoped_to_the_branch()
    {
        var branch = TestServers.UniqueBranch();
        var customers = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToArray();
        var at = new DateTimeOffset(2025, 1, 2, 0, 0, 0, TimeSpan.Zero);
        foreach (var (c, i) in customers.Select((c, i) => (c, i)))
        {
            await Bus.Publish(new CustomerRegistered(c, $"{branch}-{i}", branch, null, null, "Mass", at));
        }
        AccountOpenedV2 Account(int customer, string suffix, string product, DateOnly on, decimal deposit, bool first) =>
            new(customers[customer], $"{branch}-{customer}", $"{branch}-{suffix}", product, branch, on, deposit, null, null, first);
        var (jan, feb, mar) = (new DateOnly(2025, 1, 10), new DateOnly(2025, 2, 10), new DateOnly(2025, 3, 10));
        var demand0 = Account(0, "A0", "DEMAND", jan, 10_000m, true);
        var copyId = Guid.NewGuid();
        await Bus.Publish(demand0, c => c.MessageId = copyId);
        await Bus.Publish(demand0, c => c.MessageId = copyId); // the same delivery twice
        await Bus.Publish(demand0);                            // the same account under a new message id
        await Bus.Publish(Account(0, "T0", "TD-1Y", feb, 50_000m, false));
        await Bus.Publish(Account(0, "T1", "TD-1Y", mar, 20_000m, false)); // a second account of a product held: one holder
        await Bus.Publish(Account(1, "A1", "DEMAND", feb, 5_000m, true));
        await Bus.Publish(Account(2, "W2", "WEALTH", mar, 100_000m, true));

        await using var db = TestSystem.Insights.NewDbContext();
        await Poll.UntilAsync(() => db.Set<BranchProductDay>().Where(d => d.BranchCode == branch).SumAsync(d => d.Accounts), n => n == 5, "five accounts");
        await Poll.UntilAsync(() => db.AnalyticCustomers.CountAsync(c => c.BranchCode == branch), n => n == 3, "three customers");
        await Poll.UntilAsync(() => db.InboxMessages.CountAsync(m => m.Consumer == nameof(AccountOpenedV2Consumer)), n => n >= 6, "every delivery handled");

        var headOffice = TestSystem.Insights.ClientFor(Tokens.HeadOffice);
        var all = await headOffice.GetFromJsonAsync<ProductHoldings>($"/api/holdings/products?from=2025-01-01&to=2025-03-31&branchCode={branch}");
        Assert.Multiple(() =>
        {
            Assert.That(all!.Customers, Is.EqualTo(3));
            Assert.That(all.Holders, Is.EqualTo(3));
            Assert.That(all.ProductsPerHolder, Is.EqualTo(1.333).Within(0.001)); // 4 (customer, product) pairs over 3 holders
            var demand = all.Products.Single(p => p.ProductCode == "DEMAND");
            Assert.That(demand.AccountsOpened, Is.EqualTo(2));
            Assert.That(demand.NewCustomers, Is.EqualTo(2));
            Assert.That(demand.FirstDeposits, Is.EqualTo(15_000m));
            Assert.That(demand.Holders, Is.EqualTo(2));
            Assert.That(demand.Penetration, Is.EqualTo(0.6667).Within(0.0001));
            var term = all.Products.Single(p => p.ProductCode == "TD-1Y");
            Assert.That(term.AccountsOpened, Is.EqualTo(2));
            Assert.That(term.NewCustomers, Is.EqualTo(0));
            Assert.That(term.Holders, Is.EqualTo(1));
            Assert.That(all.Monthly.Where(m => m.Month == new DateOnly(2025, 3, 1)).Sum(m => m.Accounts), Is.EqualTo(2));
        });

        // A shorter period counts fewer openings; who holds what does not change.
        var february = await headOffice.GetFromJsonAsync<ProductHoldings>($"/api/holdings/products?from=2025-02-01&to=2025-02-28&branchCode={branch}");
        Assert.Multiple(() =>
        {
            Assert.That(february!.Products.Sum(p => p.AccountsOpened), Is.EqualTo(2));
            Assert.That(february.Products.Single(p => p.ProductCode == "WEALTH").AccountsOpened, Is.EqualTo(0));
            Assert.That(february.Products.Single(p => p.ProductCode == "WEALTH").Holders, Is.EqualTo(1));
        });

        // The branch's lead sees the same; another branch's lead is refused; a manager has no access.
        var own = await TestSystem.Insights.ClientFor(Tokens.BranchLead(branch))
            .GetFromJsonAsync<ProductHoldings>("/api/holdings/products?from=2025-01-01&to=2025-03-31");
        Assert.That(own!.Products.Sum(p => p.AccountsOpened), Is.EqualTo(5));
        var other = await TestSystem.Insights.ClientFor(Tokens.BranchLead(TestServers.UniqueBranch())).GetAsync($"/api/holdings/products?branchCode={branch}");
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var otherOwn = await TestSystem.Insights.ClientFor(Tokens.BranchLead(TestServers.UniqueBranch()))
            .GetFromJsonAsync<ProductHoldings>("/api/holdings/products?from=2025-01-01&to=2025-03-31");
        Assert.That(otherOwn!.Products, Is.Empty);
        var manager = await TestSystem.Insights.ClientFor(Tokens.RelationshipManager($"RM-{branch}", branch)).GetAsync("/api/holdings/products");
        Assert.That(manager.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        var bad = await headOffice.GetAsync("/api/holdings/products?from=2025-03-01&to=2025-01-01");
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await bad.Content.ReadAsStringAsync(), Does.Contain("\"from\""));
    }
}
