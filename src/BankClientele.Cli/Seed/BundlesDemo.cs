using BankClientele.Cli.Infrastructure;
using BankClientele.CustomerCare.Book;
using BankClientele.CustomerCare.Bundles;
using BankClientele.Hosting.Time;

namespace BankClientele.Cli.Seed;

/// <summary>
/// Demo catalogue (deposits of each term, a large-denomination CD, wealth products R2–R5, funds,
/// insurance), five bundles, and offers to customers of every branch for the bundle their
/// recommendations rank first: 40 % accepted, 30 % declined, 15 % lapsed last month (recorded
/// expired by the administrator), the rest still proposed (the hourly expiry job expires them as their dates pass).
/// </summary>
public static class BundlesDemo
{
    public const int OffersPerBranch = 25;

    public static readonly IReadOnlyList<SaveProduct> Products =
    [
        new("DD-CNY", "活期存款", ProductKind.DemandDeposit, null, 1, 0m),
        new("TD-3M", "三个月定期存款", ProductKind.TimeDeposit, 3, 1, 50m),
        new("TD-6M", "六个月定期存款", ProductKind.TimeDeposit, 6, 1, 50m),
        new("TD-1Y", "一年期定期存款", ProductKind.TimeDeposit, 12, 1, 50m),
        new("TD-2Y", "二年期定期存款", ProductKind.TimeDeposit, 24, 1, 50m),
        new("TD-3Y", "三年期定期存款", ProductKind.TimeDeposit, 36, 1, 50m),
        new("TD-5Y", "五年期定期存款", ProductKind.TimeDeposit, 60, 1, 50m),
        new("LCD-3Y", "三年期大额存单", ProductKind.LargeCertificate, 36, 1, 200_000m),
        new("WM-R2-90", "稳享90天理财", ProductKind.WealthManagement, 3, 2, 10_000m),
        new("WM-R2-180", "稳享180天理财", ProductKind.WealthManagement, 6, 2, 10_000m),
        new("WM-R3-365", "增利一年期理财", ProductKind.WealthManagement, 12, 3, 10_000m),
        new("FUND-BOND", "纯债基金", ProductKind.Fund, null, 2, 1_000m),
        new("FUND-MIX", "偏股混合基金", ProductKind.Fund, null, 4, 1_000m),
        new("FUND-EQ", "行业主题股票基金", ProductKind.Fund, null, 5, 1_000m),
        new("INS-ANNUITY", "养老年金保险", ProductKind.Insurance, null, 2, 20_000m),
    ];

    public static readonly IReadOnlyList<SaveBundle> Bundles =
    [
        new("B-STEADY", "定期+稳享理财", "TD-1Y", ["WM-R2-180"]),
        new("B-CD-BOND", "大额存单+纯债基金", "LCD-3Y", ["FUND-BOND"]),
        new("B-GROW", "定期+增利理财+混合基金", "TD-2Y", ["WM-R3-365", "FUND-MIX"]),
        new("B-RETIRE", "五年定期+养老年金", "TD-5Y", ["INS-ANNUITY"]),
        new("B-AGGRESSIVE", "三个月定期+股票基金", "TD-3M", ["FUND-EQ"]),
    ];

    public static async Task<int> RunAsync(CliContext context, ServiceClient customerCare, CancellationToken ct)
    {
        foreach (var product in Products)
        {
            await customerCare.SendAsync(HttpMethod.Put, "/api/products", product, ct);
        }
        foreach (var bundle in Bundles)
        {
            await customerCare.SendAsync(HttpMethod.Put, "/api/bundles", bundle, ct);
        }
        // Branches side by side (eight at a time): each is a few hundred requests, and the seed waits for them.
        int proposed = 0, accepted = 0, declined = 0, later = 0;
        var branches = DemoNetwork.Branches.Select((branch, index) => (branch, index));
        await Parallel.ForEachAsync(branches, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (b, ct) =>
        {
            var random = new Random(DemoNetwork.RandomSeed + 7 + b.index); // per branch: the same offers whatever the interleaving
            var offered = 0;
            var customers = await customerCare.GetAsync<List<CustomerView>>($"/api/customers?branchCode={b.branch.Code}&sort=aum", ct);
            // Managed customers first: a manager's offers are what their bundle page and acceptance rate show.
            foreach (var customer in customers.OrderBy(c => c.RelationshipManagerId is null).ThenBy(c => c.Id))
            {
                if (offered >= OffersPerBranch)
                {
                    break;
                }
                var recommendations = await customerCare.GetAsync<CustomerRecommendations>($"/api/customers/{customer.Id}/recommendations", ct);
                if (recommendations.Recommendations.FirstOrDefault() is not { } best)
                {
                    continue; // no valid risk assessment, or nothing suitable
                }
                var amount = 50_000m * random.Next(1, 9) + (best.BundleCode == "B-CD-BOND" ? 200_000m : 0m);
                var draw = random.NextDouble();
                // One in seven lapsed unanswered last month (the administrator records it expired).
                DateOnly? lapsedOn = draw >= 0.85 ? BranchClock.System.Today.AddDays(-random.Next(3, 30)) : null;
                var offer = await customerCare.SendAsync<OfferView>(HttpMethod.Post, "/api/offers", new ProposeOffer(customer.Id, best.BundleCode, amount, lapsedOn), ct);
                offered++;
                Interlocked.Increment(ref proposed);
                if (draw < 0.4)
                {
                    await customerCare.SendAsync<OfferView>(HttpMethod.Post, $"/api/offers/{offer.Id}/accept", new { }, ct);
                    Interlocked.Increment(ref accepted);
                }
                else if (draw < 0.7)
                {
                    await customerCare.SendAsync<OfferView>(HttpMethod.Post, $"/api/offers/{offer.Id}/decline", new { }, ct);
                    Interlocked.Increment(ref declined);
                }
                else if (draw < 0.78)
                {
                    // The customer will think about it: the offer stays open, answered "later".
                    await customerCare.SendAsync<OfferView>(HttpMethod.Post, $"/api/offers/{offer.Id}/later", new { }, ct);
                    Interlocked.Increment(ref later);
                }
            }
        });
        context.Note($"Bundles: {Products.Count} products, {Bundles.Count} bundles, {proposed} offers ({accepted} accepted, {declined} declined, {later} answered later).");
        return proposed;
    }
}
