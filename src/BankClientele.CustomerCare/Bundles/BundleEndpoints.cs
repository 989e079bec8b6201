using System.ComponentModel.DataAnnotations;
using BankClientele.Contracts.CustomerCare;
using BankClientele.CustomerCare.Book;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Customers;
using BankClientele.Hosting.Time;
using Microsoft.EntityFrameworkCore;
using BankClientele.Hosting.Refusals;

namespace BankClientele.CustomerCare.Bundles;

public sealed record SaveProduct(
    [property: Required, StringLength(40, MinimumLength = 1)] string Code,
    [property: Required, StringLength(100, MinimumLength = 1)] string Name,
    ProductKind Kind,
    [property: Range(1, 120)] int? TermMonths,
    [property: Range(1, 5)] int RiskRating,
    [property: Range(0, 100_000_000)] decimal MinimumAmount);

public sealed record SaveBundle(
    [property: Required, StringLength(40, MinimumLength = 1)] string Code,
    [property: Required, StringLength(100, MinimumLength = 1)] string Name,
    [property: Required, StringLength(40, MinimumLength = 1)] string DepositProductCode,
    [property: Required, MinLength(1), MaxLength(5)] IReadOnlyList<string> WealthProductCodes,
    bool Active = true);

public sealed record BundleView(string Code, string Name, bool Active, Product Deposit, IReadOnlyList<Product> Wealth, int MaxRiskRating, decimal MinimumAmount);

public sealed record ProposeOffer(
    Guid CustomerId,
    [property: Required, StringLength(40, MinimumLength = 1)] string BundleCode,
    [property: Range(1, 100_000_000)] decimal Amount,
    DateOnly? ExpiresOn,
    [property: StringLength(40)] string? CampaignCode = null);

public sealed record OfferView(Guid Id, Guid CustomerId, string BranchCode, string? RelationshipManagerId, string BundleCode, decimal Amount,
    OfferStatus Status, string ProposedBy, DateTimeOffset ProposedAt, DateOnly ExpiresOn, DateTimeOffset? DecidedAt, string? CampaignCode = null);

public sealed record Recommendation(string BundleCode, string Name, int Score, IReadOnlyList<ScoredReason> Reasons);

public sealed record CustomerRecommendations(Guid CustomerId, int? RiskLevel, DateOnly? RiskAssessedOn,
    IReadOnlyDictionary<string, string[]> AssessmentProblems, IReadOnlyList<Recommendation> Recommendations);

public sealed record AcceptanceRate(string Key, int Proposed, int Accepted, int Declined, int Expired, double? Rate);

public sealed record AcceptanceRates(IReadOnlyList<AcceptanceRate> ByBundle, IReadOnlyList<AcceptanceRate> ByManager);

public static class BundleEndpoints
{
    public const int DefaultOfferDays = 14;

    public static IEndpointRouteBuilder MapBundleEndpoints(this IEndpointRouteBuilder app)
    {
        var catalogueKeepers = new[] { StaffRoles.HeadOffice, StaffRoles.Administrator };
        app.MapGet("/api/products", async (CustomerCareDbContext db, CancellationToken ct) =>
            TypedResults.Ok(await db.Products.AsNoTracking().OrderBy(p => p.Kind).ThenBy(p => p.Code).ToListAsync(ct))).WithTags("Bundles");
        app.MapPut("/api/products", SaveProductAsync).WithTags("Bundles").RequireAuthorization(p => p.RequireRole(catalogueKeepers));
        var bundles = app.MapGroup("/api/bundles").WithTags("Bundles");
        bundles.MapGet("/", ListBundlesAsync);
        bundles.MapPut("/", SaveBundleAsync).RequireAuthorization(p => p.RequireRole(catalogueKeepers));
        bundles.MapGet("/acceptance", AcceptanceAsync);
        app.MapGet("/api/customers/{id:guid}/recommendations", RecommendationsAsync).WithTags("Bundles");
        var offers = app.MapGroup("/api/offers").WithTags("Bundles");
        offers.MapGet("/", ListOffersAsync);
        offers.MapPost("/", ProposeAsync);
        offers.MapPost("/{id:guid}/accept", (Guid id, HttpContext http, CustomerCareDbContext db, TimeProvider time, CancellationToken ct) =>
            DecideAsync(id, OfferStatus.Accepted, http, db, time, ct));
        offers.MapPost("/{id:guid}/decline", (Guid id, HttpContext http, CustomerCareDbContext db, TimeProvider time, CancellationToken ct) =>
            DecideAsync(id, OfferStatus.Declined, http, db, time, ct));
        offers.MapPost("/{id:guid}/later", (Guid id, HttpContext http, CustomerCareDbContext db, TimeProvider time, CancellationToken ct) =>
            DecideAsync(id, OfferStatus.Later, http, db, time, ct));
        return app;
    }

    private static async Task<IResult> SaveProductAsync(SaveProduct request, CustomerCareDbContext db, CancellationToken ct)
    {
        var product = await db.Products.FindAsync([request.Code], ct);
        if (product is null)
        {
            product = new Product { Code = request.Code, Name = request.Name };
            db.Products.Add(product);
        }
        product.Name = request.Name;
        product.Kind = request.Kind;
        product.TermMonths = request.TermMonths;
        product.RiskRating = request.RiskRating;
        product.MinimumAmount = request.MinimumAmount;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(product);
    }

    private static async Task<IResult> SaveBundleAsync(SaveBundle request, CustomerCareDbContext db, CancellationToken ct)
    {
        var codes = request.WealthProductCodes.Append(request.DepositProductCode).ToList();
        var products = await db.Products.AsNoTracking().Where(p => codes.Contains(p.Code)).ToDictionaryAsync(p => p.Code, ct);
        var notWealth = request.WealthProductCodes.Where(c => !products.TryGetValue(c, out var p) || IsDeposit(p.Kind)).ToArray();
        var problems = new FieldErrors()
            .AddIf(!products.TryGetValue(request.DepositProductCode, out var deposit) || !IsDeposit(deposit.Kind), "depositProductCode", FieldReasons.NotInCatalogue,
                $"{request.DepositProductCode} is not a deposit product of the catalogue.")
            .AddIf(notWealth.Length > 0, "wealthProductCodes", FieldReasons.NotInCatalogue, $"Not wealth products of the catalogue: {string.Join(", ", notWealth)}.");
        if (problems.Any)
        {
            return problems.ToProblem();
        }
        var bundle = await db.Bundles.FindAsync([request.Code], ct);
        if (bundle is null)
        {
            bundle = new Bundle { Code = request.Code, Name = request.Name, DepositProductCode = request.DepositProductCode };
            db.Bundles.Add(bundle);
        }
        bundle.Name = request.Name;
        bundle.DepositProductCode = request.DepositProductCode;
        bundle.WealthProductCodes = request.WealthProductCodes.Distinct().ToList();
        bundle.Active = request.Active;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await ViewsAsync(db, [bundle], ct)).Single());
    }

    private static async Task<IResult> ListBundlesAsync(CustomerCareDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await ViewsAsync(db, await db.Bundles.AsNoTracking().OrderBy(b => b.Code).ToListAsync(ct), ct));

    private static async Task<IResult> RecommendationsAsync(Guid id, HttpContext http, CustomerCareDbContext db, TimeProvider time, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        var customer = await db.Customers.AsNoTracking().VisibleTo(scope).SingleOrDefaultAsync(c => c.Id == id, ct);
        if (customer is null)
        {
            return TypedResults.NotFound();
        }
        var today = BranchClock.DayOf(time.GetUtcNow());
        var bundles = await ViewsAsync(db, await db.Bundles.AsNoTracking().Where(b => b.Active).ToListAsync(ct), ct);
        var assessment = Suitability.Check(customer.RiskLevel, customer.RiskAssessedOn, [], today);
        var situation = await SituationAsync(db, customer, today, ct);
        var recommendations = assessment.Count > 0 ? [] : bundles
            .Where(b => Suitability.Check(customer.RiskLevel, customer.RiskAssessedOn, b.Wealth.Append(b.Deposit), today).Count == 0)
            .Select(b => (Bundle: b, Reasons: BundleScoring.Reasons(situation, b.Deposit, b.Wealth, today)))
            .Select(x => new Recommendation(x.Bundle.Code, x.Bundle.Name, x.Reasons.Sum(r => r.Points), x.Reasons))
            .OrderByDescending(r => r.Score).ThenBy(r => r.BundleCode, StringComparer.Ordinal)
            .ToList();
        return TypedResults.Ok(new CustomerRecommendations(customer.Id, customer.RiskLevel, customer.RiskAssessedOn, assessment, recommendations));
    }

    private static async Task<IResult> ProposeAsync(ProposeOffer request, HttpContext http, CustomerCareDbContext db, TimeProvider time, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        var customer = await db.Customers.AsNoTracking().VisibleTo(scope).SingleOrDefaultAsync(c => c.Id == request.CustomerId, ct);
        if (customer is null)
        {
            return FieldErrors.Problem("customerId", FieldReasons.Unknown, "No such customer among yours.");
        }
        // An offer made for a campaign is the campaign's contact: never to its holdout (checked against the
        // audience copy from CampaignAudienceAssigned; a campaign whose audience is unknown here cannot be kept, so it is refused).
        if (request.CampaignCode is { Length: > 0 } campaignCode)
        {
            var audience = await CampaignMemberships.CheckAsync(db, campaignCode, [customer.Id], ct);
            if (!audience.Known)
            {
                return CampaignMemberships.UnknownCampaignProblem(campaignCode, "campaignCode");
            }
            if (audience.HeldOut.Contains(customer.Id))
            {
                return CampaignMemberships.HeldOutProblem(campaignCode, "campaignCode");
            }
            if (!audience.Members.Contains(customer.Id))
            {
                return CampaignMemberships.NotInAudienceProblem(campaignCode, "campaignCode");
            }
        }
        var bundle = await db.Bundles.AsNoTracking().SingleOrDefaultAsync(b => b.Code == request.BundleCode && b.Active, ct);
        if (bundle is null)
        {
            return FieldErrors.Problem("bundleCode", FieldReasons.Unknown, $"No active bundle {request.BundleCode}.");
        }
        var view = (await ViewsAsync(db, [bundle], ct)).Single();
        var now = time.GetUtcNow();
        var today = BranchClock.DayOf(now);
        var problems = new FieldErrors();
        foreach (var (field, messages) in Suitability.Check(customer.RiskLevel, customer.RiskAssessedOn, view.Wealth.Append(view.Deposit), today))
        {
            Array.ForEach(messages, m => problems.Add(field, Suitability.ReasonOf(field), m));
        }
        problems.AddIf(request.Amount < view.MinimumAmount, "amount", FieldReasons.BelowMinimum, $"The bundle needs at least ¥{view.MinimumAmount:N0}.",
            ("min", view.MinimumAmount));
        // An administrator may record an offer that already lapsed (history from another system, the
        // demo): it is stored as expired at once. Staff cannot propose one that is over before it starts.
        var lapsed = request.ExpiresOn is { } expires && expires < today;
        problems.AddIf(lapsed && scope.Role != StaffRoles.Administrator, "expiresOn", FieldReasons.InThePast, "An offer cannot expire in the past.");
        if (problems.Any)
        {
            return problems.ToProblem(title: "The offer is not suitable for this customer",
                extensions: new Dictionary<string, object?> { ["code"] = ProblemCodes.OfferNotSuitable });
        }
        var offer = new Offer
        {
            Id = Guid.CreateVersion7(),
            CustomerId = customer.Id,
            BranchCode = customer.BranchCode,
            RelationshipManagerId = customer.RelationshipManagerId,
            BundleCode = bundle.Code,
            Amount = request.Amount,
            ProposedBy = scope.StaffId,
            ProposedAt = now,
            ExpiresOn = request.ExpiresOn ?? today.AddDays(DefaultOfferDays),
            Status = lapsed ? OfferStatus.Expired : OfferStatus.Proposed,
            DecidedAt = lapsed ? now : null,
            CampaignCode = request.CampaignCode is { Length: > 0 } ? request.CampaignCode : null,
        };
        db.Offers.Add(offer);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/offers/{offer.Id}", View(offer));
    }

    /// <summary>
    /// Record the customer's answer: accept or decline once (accepting publishes BundleAccepted in the same
    /// transaction), or "later", which keeps the offer open to be accepted or declined until it expires.
    /// </summary>
    private static async Task<IResult> DecideAsync(Guid id, OfferStatus decision, HttpContext http, CustomerCareDbContext db, TimeProvider time, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Row lock: two clicks on "accept" publish one event.
        var offer = await db.Offers.FromSql($"SELECT * FROM offers WHERE id = {id} FOR UPDATE").VisibleTo(scope).SingleOrDefaultAsync(ct);
        if (offer is null)
        {
            return TypedResults.NotFound();
        }
        var now = time.GetUtcNow();
        if (offer.Status is not (OfferStatus.Proposed or OfferStatus.Later) || (decision == OfferStatus.Later && offer.Status == OfferStatus.Later))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Offer already decided", detail: $"The offer is {offer.Status}.",
                extensions: new Dictionary<string, object?> { ["code"] = ProblemCodes.OfferAlreadyDecided });
        }
        if (offer.ExpiresOn < BranchClock.DayOf(now))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Offer expired", detail: $"The offer expired on {offer.ExpiresOn:yyyy-MM-dd}.",
                extensions: new Dictionary<string, object?> { ["code"] = ProblemCodes.OfferExpired });
        }
        offer.Status = decision;
        offer.DecidedAt = decision == OfferStatus.Later ? null : now;
        if (decision == OfferStatus.Accepted)
        {
            db.Publish(new BundleAccepted(offer.Id, offer.CustomerId, offer.BranchCode, offer.RelationshipManagerId, offer.BundleCode, offer.Amount, now));
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(View(offer));
    }

    private static async Task<IResult> ListOffersAsync(Guid? customerId, OfferStatus? status, HttpContext http, CustomerCareDbContext db, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        var query = db.Offers.AsNoTracking().VisibleTo(scope);
        if (customerId is not null)
        {
            query = query.Where(o => o.CustomerId == customerId);
        }
        if (status is not null)
        {
            query = query.Where(o => o.Status == status);
        }
        var rows = await query.OrderByDescending(o => o.ProposedAt).Take(500).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(View).ToList());
    }

    /// <summary>Acceptance rate = accepted / decided (accepted, declined or expired), per bundle and per manager, in the caller's scope.</summary>
    private static async Task<IResult> AcceptanceAsync(HttpContext http, CustomerCareDbContext db, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        var counts = await db.Offers.AsNoTracking().VisibleTo(scope)
            .GroupBy(o => new { o.BundleCode, o.RelationshipManagerId, o.Status })
            .Select(g => new { g.Key.BundleCode, g.Key.RelationshipManagerId, g.Key.Status, Count = g.Count() })
            .ToListAsync(ct);
        return TypedResults.Ok(new AcceptanceRates(
            Rates(counts.Select(c => (c.BundleCode, c.Status, c.Count))),
            Rates(counts.Select(c => (c.RelationshipManagerId ?? "-", c.Status, c.Count)))));

        static List<AcceptanceRate> Rates(IEnumerable<(string Key, OfferStatus Status, int Count)> rows) =>
            rows.GroupBy(r => r.Key).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
            {
                int Of(OfferStatus s) => g.Where(r => r.Status == s).Sum(r => r.Count);
                var decided = Of(OfferStatus.Accepted) + Of(OfferStatus.Declined) + Of(OfferStatus.Expired);
                // "Later" is still open: counted with the proposed ones, not as decided.
                return new AcceptanceRate(g.Key, Of(OfferStatus.Proposed) + Of(OfferStatus.Later), Of(OfferStatus.Accepted), Of(OfferStatus.Declined), Of(OfferStatus.Expired),
                    decided == 0 ? null : Math.Round((double)Of(OfferStatus.Accepted) / decided, 4));
            }).ToList();
    }

    private static async Task<CustomerSituation> SituationAsync(CustomerCareDbContext db, Customer customer, DateOnly today, CancellationToken ct)
    {
        var holdings = await (from h in db.Holdings.AsNoTracking().Where(h => h.CustomerId == customer.Id)
                              join p in db.Products on h.ProductCode equals p.Code into products
                              from p in products.DefaultIfEmpty()
                              select new { h.Balance, h.MaturesOn, Kind = p == null ? (ProductKind?)null : p.Kind }).ToListAsync(ct);
        var idle = holdings.Where(h => h.Kind == ProductKind.DemandDeposit || (h.Kind is null && h.MaturesOn is null)).Sum(h => h.Balance);
        var maturing = holdings.Where(h => h.MaturesOn >= today).Min(h => h.MaturesOn);
        var holdsWealth = customer.WealthBalance > 0 || holdings.Any(h => h.Kind is ProductKind.WealthManagement or ProductKind.Fund or ProductKind.Insurance);
        var monthAgo = today.AddDays(-30);
        var before = await db.DailyBalances.AsNoTracking().Where(b => b.CustomerId == customer.Id && b.Date <= monthAgo)
            .OrderByDescending(b => b.Date).Select(b => (decimal?)b.Deposit).FirstOrDefaultAsync(ct);
        var inflow = before is null ? 0 : Math.Max(0, customer.DepositBalance - before.Value);
        return new CustomerSituation(idle, maturing, holdsWealth, inflow, customer.DepositBalance);
    }

    private static async Task<List<BundleView>> ViewsAsync(CustomerCareDbContext db, List<Bundle> bundles, CancellationToken ct)
    {
        var codes = bundles.SelectMany(b => b.WealthProductCodes.Append(b.DepositProductCode)).Distinct().ToList();
        var products = await db.Products.AsNoTracking().Where(p => codes.Contains(p.Code)).ToDictionaryAsync(p => p.Code, ct);
        return bundles.Where(b => products.ContainsKey(b.DepositProductCode)).Select(b =>
        {
            var deposit = products[b.DepositProductCode];
            var wealth = b.WealthProductCodes.Where(products.ContainsKey).Select(c => products[c]).ToList();
            var all = wealth.Append(deposit).ToList();
            return new BundleView(b.Code, b.Name, b.Active, deposit, wealth, all.Max(p => p.RiskRating), all.Max(p => p.MinimumAmount));
        }).ToList();
    }

    private static bool IsDeposit(ProductKind kind) => kind is ProductKind.DemandDeposit or ProductKind.TimeDeposit or ProductKind.LargeCertificate;

    private static OfferView View(Offer o) =>
        new(o.Id, o.CustomerId, o.BranchCode, o.RelationshipManagerId, o.BundleCode, o.Amount, o.Status, o.ProposedBy, o.ProposedAt, o.ExpiresOn, o.DecidedAt, o.CampaignCode);
}
