using IConfigurationProvider = AutoMapper.IConfigurationProvider;
using AutoMapper.QueryableExtensions;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Privacy;
using BankClientele.Hosting.Time;
using Microsoft.EntityFrameworkCore;
using BankClientele.Hosting.Refusals;

namespace BankClientele.CustomerCare.Book;

public static class CustomerEndpoints
{
    public const int MaxPageSize = 500;
    public const int MaxBalanceDays = 3 * 366;

    public static IEndpointRouteBuilder MapCustomerEndpoints(this IEndpointRouteBuilder app)
    {
        var customers = app.MapGroup("/api/customers").WithTags("Customers");
        customers.MapGet("/", ListAsync);
        customers.MapGet("/{id:guid}", GetAsync);
        customers.MapGet("/{id:guid}/holdings", HoldingsAsync);
        customers.MapGet("/{id:guid}/balances", BalancesAsync);
        customers.MapGet("/{id:guid}/personal-data", GetPersonalDataAsync);
        return app;
    }

    /// <summary>
    /// The caller's customers, masked, newest first, a page at a time (<c>page</c> from 1); the
    /// total is in the <c>X-Total-Count</c> header. <c>search</c> matches the start of the customer number or part of the name;
    /// <c>sort</c> is <c>joined</c> (default, newest first) or <c>aum</c> (largest average assets first).
    /// </summary>
    private static async Task<IResult> ListAsync(
        HttpContext http, CustomerCareDbContext db, IConfigurationProvider mapping, BranchClock clock, CancellationToken ct,
        string? branchCode = null, string? tier = null, string? relationshipManagerId = null, string? search = null,
        int page = 1, int pageSize = 100, string? sort = null)
    {
        var errors = new FieldErrors()
            .AddIf(sort is not (null or "joined" or "aum"), "sort", FieldReasons.NotOneOf, "One of joined, aum.")
            .AddIf(page < 1, "page", FieldReasons.BelowMinimum, "Pages count from 1.", ("min", 1))
            .AddIf(pageSize is < 1 or > MaxPageSize, "pageSize", FieldReasons.OutOfRange, $"Between 1 and {MaxPageSize}.", ("min", 1), ("max", MaxPageSize))
            .AddIf(tier is not null && !CustomerTiers.Ordered.Contains(tier), "tier", FieldReasons.NotOneOf, $"One of {string.Join(", ", CustomerTiers.Ordered)}.");
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var query = db.Customers.AsNoTracking().VisibleTo(DataScope.Of(http.User));
        if (branchCode is not null)
        {
            query = query.Where(c => c.BranchCode == branchCode);
        }
        if (tier is not null)
        {
            query = query.Where(c => c.Tier == tier);
        }
        if (relationshipManagerId is not null)
        {
            query = query.Where(c => c.RelationshipManagerId == relationshipManagerId);
        }
        if (!string.IsNullOrWhiteSpace(search))
        {
            // The start of the customer number, or part of the name (a manager finds a walk-in by name; only
            // the caller's own customers are searched, and the names come back masked).
            var term = search.Trim();
            query = query.Where(c => (c.CustomerNumber != null && c.CustomerNumber.StartsWith(term)) || c.FullName.Contains(term));
        }
        http.Response.Headers["X-Total-Count"] = (await query.CountAsync(ct)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var ordered = sort == "aum"
            ? query.OrderByDescending(c => c.AverageAssets).ThenBy(c => c.Id)
            : query.OrderByDescending(c => c.JoinedAt).ThenBy(c => c.Id);
        var views = await ordered
            .Skip((page - 1) * pageSize).Take(pageSize)
            .ProjectTo<CustomerView>(mapping, new { managers = db.RelationshipManagers })
            .ToListAsync(ct);
        var today = clock.Today;
        return TypedResults.Ok(views.Select(v => v.Masked(today)));
    }

    private static async Task<IResult> GetAsync(Guid id, HttpContext http, CustomerCareDbContext db, IConfigurationProvider mapping, BranchClock clock, CancellationToken ct)
    {
        // Out of scope reads exactly like absent, so ids of other managers' customers leak nothing.
        var view = await db.Customers.AsNoTracking().VisibleTo(DataScope.Of(http.User)).Where(c => c.Id == id)
            .ProjectTo<CustomerView>(mapping, new { managers = db.RelationshipManagers })
            .SingleOrDefaultAsync(ct);
        return view is null ? TypedResults.NotFound() : TypedResults.Ok(view.Masked(clock.Today));
    }

    /// <summary>The customer's accounts and products, largest balance first; account numbers masked.</summary>
    private static async Task<IResult> HoldingsAsync(Guid id, HttpContext http, CustomerCareDbContext db, IConfigurationProvider mapping, CancellationToken ct)
    {
        if (!await IsVisibleAsync(db, http, id, ct))
        {
            return TypedResults.NotFound();
        }
        var holdings = await db.Holdings.AsNoTracking().Where(h => h.CustomerId == id)
            .OrderByDescending(h => h.Balance).ThenBy(h => h.AccountNumber)
            .ProjectTo<HoldingView>(mapping).ToListAsync(ct);
        return TypedResults.Ok(holdings.Select(h => h.Masked()));
    }

    /// <summary>The customer's daily balances of the last <c>days</c> days (default 365), oldest first.</summary>
    private static async Task<IResult> BalancesAsync(Guid id, HttpContext http, CustomerCareDbContext db, IConfigurationProvider mapping, BranchClock clock, CancellationToken ct, int days = 365)
    {
        if (days is < 1 or > MaxBalanceDays)
        {
            return FieldErrors.Problem("days", FieldReasons.OutOfRange, $"Between 1 and {MaxBalanceDays}.", ("min", 1), ("max", MaxBalanceDays));
        }
        if (!await IsVisibleAsync(db, http, id, ct))
        {
            return TypedResults.NotFound();
        }
        var since = clock.Today.AddDays(-days);
        var balances = await db.DailyBalances.AsNoTracking().Where(b => b.CustomerId == id && b.Date > since)
            .OrderBy(b => b.Date).ProjectTo<DailyBalanceView>(mapping).ToListAsync(ct);
        return TypedResults.Ok(balances);
    }

    /// <summary>
    /// The unmasked name, phone, account and ID numbers, for the staff who serve the customer (to
    /// call them back, say). Every view is audited with its reason; the reason is required.
    /// </summary>
    private static async Task<IResult> GetPersonalDataAsync(Guid id, string? reason, HttpContext http, CustomerCareDbContext db, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        if (FieldErrors.BadText("reason", reason, 200, "Say why you need the unmasked data (1 to 200 characters); it is recorded.", out var badReason))
        {
            return badReason;
        }
        if (!PersonalDataAudit.MayUnmask(scope))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Masked for your role",
                detail: "Only the customer's relationship manager or branch lead may see unmasked personal data.",
                extensions: new Dictionary<string, object?> { ["code"] = ProblemCodes.MaskedForRole });
        }
        var customer = await db.Customers.AsNoTracking().VisibleTo(scope).SingleOrDefaultAsync(c => c.Id == id, ct);
        if (customer is null)
        {
            return TypedResults.NotFound();
        }
        var fields = customer.IdNumber is null ? "FullName,Phone,AccountNumber" : "FullName,Phone,AccountNumber,IdNumber";
        db.RecordPersonalDataView(scope, "Customer", customer.Id, fields, reason.Trim());
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new CustomerPersonalData(customer.Id, customer.FullName, customer.Phone, customer.AccountNumber, customer.IdNumber));
    }

    private static Task<bool> IsVisibleAsync(CustomerCareDbContext db, HttpContext http, Guid id, CancellationToken ct) =>
        db.Customers.VisibleTo(DataScope.Of(http.User)).AnyAsync(c => c.Id == id, ct);
}
