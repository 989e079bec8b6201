using BankClientele.Hosting.Refusals;
using BankClientele.Hosting.Auth;
using BankClientele.Insights.Store;
using BankClientele.Hosting.Time;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Insights.Holdings;

/// <summary>A product in the period: accounts opened, customers it brought to the bank, and who holds it.</summary>
public sealed record ProductMixRow(string ProductCode, int AccountsOpened, int NewCustomers, decimal FirstDeposits, int Holders, double? Penetration);

public sealed record ProductMonth(DateOnly Month, string ProductCode, int Accounts);

/// <summary>
/// The product mix of the caller's branches: customers known, how many hold any account and how many
/// products each holds on average (cross-holding), per product, and accounts opened per month.
/// </summary>
public sealed record ProductHoldings(DateOnly From, DateOnly To, string? BranchCode, int Customers, int Holders, double? ProductsPerHolder,
    IReadOnlyList<ProductMixRow> Products, IReadOnlyList<ProductMonth> Monthly);

public static class HoldingEndpoints
{
    public static IEndpointRouteBuilder MapHoldingEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/holdings").WithTags("Holdings")
            .RequireAuthorization(p => p.RequireRole(StaffRoles.BranchLead, StaffRoles.RegionHead, StaffRoles.HeadOffice, StaffRoles.Administrator))
            .MapGet("/products", ProductsAsync);
        return app;
    }

    /// <summary>Head office sees every branch (or the one asked for); a region head their region's; a branch lead their own, and a 403 for another.</summary>
    private static async Task<IResult> ProductsAsync(DateOnly? from, DateOnly? to, string? branchCode, HttpContext http, InsightsDbContext db, BranchClock clock, CancellationToken ct)
    {
        var end = to ?? clock.Today;
        var start = from ?? end.AddDays(-364);
        if (start > end)
        {
            return FieldErrors.Problem("from", FieldReasons.AfterEnd, "from must not be after to.");
        }
        var scope = DataScope.Of(http.User);
        var branch = string.IsNullOrWhiteSpace(branchCode) ? null : branchCode.Trim();
        if (branch is not null && !scope.CanSeeBranch(branch))
        {
            return TypedResults.Forbid();
        }
        var accounts = db.Set<AnalyticAccount>().AsNoTracking().InBranchesOf(scope);
        var days = db.Set<BranchProductDay>().AsNoTracking().InBranchesOf(scope).Where(d => d.Day >= start && d.Day <= end);
        var customers = db.AnalyticCustomers.AsNoTracking().InBranchesOf(scope);
        if (branch is not null)
        {
            accounts = accounts.Where(a => a.BranchCode == branch);
            days = days.Where(d => d.BranchCode == branch);
            customers = customers.Where(c => c.BranchCode == branch);
        }

        var known = await customers.CountAsync(ct);
        var holdings = accounts.Select(a => new { a.CustomerId, a.ProductCode }).Distinct();
        var holders = await holdings.GroupBy(h => h.ProductCode).Select(g => new { Product = g.Key, Holders = g.Count() }).ToListAsync(ct);
        var anyHolders = await accounts.Select(a => a.CustomerId).Distinct().CountAsync(ct);
        var productHoldings = holders.Sum(h => h.Holders); // distinct (customer, product) pairs
        var opened = await days.GroupBy(d => d.ProductCode)
            .Select(g => new { Product = g.Key, Accounts = g.Sum(d => d.Accounts), New = g.Sum(d => d.FirstAccounts), Deposits = g.Sum(d => d.FirstDeposits) })
            .ToListAsync(ct);
        var daily = await days.GroupBy(d => new { d.Day.Year, d.Day.Month, d.ProductCode })
            .Select(g => new { g.Key.Year, g.Key.Month, g.Key.ProductCode, Accounts = g.Sum(d => d.Accounts) })
            .ToListAsync(ct);

        var products = holders.Select(h => h.Product).Union(opened.Select(o => o.Product)).Order(StringComparer.Ordinal)
            .Select(product =>
            {
                var o = opened.FirstOrDefault(x => x.Product == product);
                var held = holders.FirstOrDefault(x => x.Product == product)?.Holders ?? 0;
                return new ProductMixRow(product, o?.Accounts ?? 0, o?.New ?? 0, o?.Deposits ?? 0m, held,
                    known > 0 ? Math.Round((double)held / known, 4) : null);
            })
            .OrderByDescending(p => p.Holders).ThenBy(p => p.ProductCode, StringComparer.Ordinal).ToList();
        var monthly = daily.Select(d => new ProductMonth(new DateOnly(d.Year, d.Month, 1), d.ProductCode, d.Accounts))
            .OrderBy(m => m.Month).ThenBy(m => m.ProductCode, StringComparer.Ordinal).ToList();
        return TypedResults.Ok(new ProductHoldings(start, end, branch, known, anyHolders,
            anyHolders > 0 ? Math.Round((double)productHoldings / anyHolders, 3) : null, products, monthly));
    }
}
