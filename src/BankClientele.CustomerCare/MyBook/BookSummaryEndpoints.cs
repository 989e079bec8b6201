using BankClientele.Hosting.Refusals;
using BankClientele.Hosting.Time;
using BankClientele.CustomerCare.Book;
using BankClientele.CustomerCare.Revisits;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BankClientele.CustomerCare.MyBook;

/// <summary>A slice of a book: how many customers, their average assets and expected lifetime value (yuan).</summary>
public sealed record BookSlice(string Key, int Customers, decimal Assets, decimal Clv);

/// <summary>A customer of the book at risk of leaving (lifecycle stage or a low probability of being active).</summary>
public sealed record AtRiskCustomer(Guid Id, string CustomerName, string Tier, string? LifecycleStage, string? ValueSegment,
    double? ProbabilityAlive, decimal? ExpectedLifetimeValue, decimal AverageAssets);

/// <summary>On-time revisits of the period: completed, completed by their due date, still open past it.</summary>
public sealed record BookOnTime(DateOnly From, DateOnly To, int Completed, int OnTime, int OpenOverdue, double Rate);

/// <summary>A manager's own analytics ("my book"): on-time rate, the book by tier and segment, its CLV, who is at risk.</summary>
public sealed record BookSummary(string? StaffId, int Customers, decimal Assets, decimal Clv, BookOnTime OnTime,
    IReadOnlyList<BookSlice> ByTier, IReadOnlyList<BookSlice> BySegment, IReadOnlyList<BookSlice> ByLifecycle, IReadOnlyList<AtRiskCustomer> AtRisk);

/// <summary>
/// A manager's own analytics ("my book", <c>/api/book/summary</c>): the book's slices beside the revisits' on-time rate
/// and the customers at risk as the revisit rules judge it, so it reads both features.
/// </summary>
public static class BookSummaryEndpoints
{
    public const int MaxAtRisk = 100;

    public static IEndpointRouteBuilder MapBookSummaryEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/book/summary", SummaryAsync).WithTags("Book");
        return app;
    }

    /// <summary>
    /// The book of a manager: the caller's own for a relationship manager; a branch lead, head office or
    /// an administrator name one with <c>staffId</c> (or get their whole scope). Scoped like every read.
    /// </summary>
    private static async Task<IResult> SummaryAsync(string? staffId, HttpContext http, CustomerCareDbContext db, IOptions<RevisitOptions> options,
        TimeProvider clock, CancellationToken ct, int days = 90)
    {
        if (days is < 7 or > 366)
        {
            return FieldErrors.Problem("days", FieldReasons.OutOfRange, "Between 7 and 366.", ("min", 7), ("max", 366));
        }
        var scope = DataScope.Of(http.User);
        var manager = scope.Role == StaffRoles.RelationshipManager ? scope.StaffId : staffId;
        var customers = db.Customers.AsNoTracking().VisibleTo(scope);
        var revisits = db.Revisits.AsNoTracking().VisibleTo(scope);
        if (manager is not null)
        {
            customers = customers.Where(c => c.RelationshipManagerId == manager);
            revisits = revisits.Where(r => r.RelationshipManagerId == manager);
        }

        var slices = await customers
            .GroupBy(c => new { c.Tier, c.ValueSegment, c.LifecycleStage })
            .Select(g => new { g.Key.Tier, g.Key.ValueSegment, g.Key.LifecycleStage, Customers = g.Count(),
                Assets = g.Sum(c => c.AverageAssets), Clv = g.Sum(c => c.ExpectedLifetimeValue ?? 0) })
            .ToListAsync(ct);
        var byTier = slices.GroupBy(s => s.Tier).OrderBy(g => CustomerTiers.Rank(g.Key))
            .Select(g => new BookSlice(g.Key, g.Sum(s => s.Customers), g.Sum(s => s.Assets), g.Sum(s => s.Clv))).ToList();
        var bySegment = slices.GroupBy(s => s.ValueSegment ?? "none").OrderByDescending(g => g.Sum(s => s.Customers)).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new BookSlice(g.Key, g.Sum(s => s.Customers), g.Sum(s => s.Assets), g.Sum(s => s.Clv))).ToList();
        var byLifecycle = slices.GroupBy(s => s.LifecycleStage ?? "none").OrderByDescending(g => g.Sum(s => s.Customers)).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new BookSlice(g.Key, g.Sum(s => s.Customers), g.Sum(s => s.Assets), g.Sum(s => s.Clv))).ToList();

        // At risk as the revisit cadence judges it (RevisitRules.IsAtRisk): an at-risk lifecycle stage, or P(alive) low.
        var o = options.Value;
        var riskStages = o.AtRiskLifecycleStages;
        var atRisk = await customers
            .Where(c => (c.LifecycleStage != null && riskStages.Contains(c.LifecycleStage)) || c.ProbabilityAlive < o.AtRiskProbabilityAlive)
            .OrderByDescending(c => c.ExpectedLifetimeValue ?? 0).ThenBy(c => c.Id).Take(MaxAtRisk)
            .Select(c => new AtRiskCustomer(c.Id, c.FullName, c.Tier, c.LifecycleStage, c.ValueSegment, c.ProbabilityAlive, c.ExpectedLifetimeValue, c.AverageAssets))
            .ToListAsync(ct);

        var today = BranchClock.DayOf(clock.GetUtcNow());
        var from = today.AddDays(-days);
        var completed = await revisits.Where(r => r.Status == RevisitStatuses.Completed && r.DueOn >= from && r.DueOn <= today)
            .GroupBy(r => 1).Select(g => new { Completed = g.Count(), OnTime = g.Count(r => r.OnTime == true) }).SingleOrDefaultAsync(ct);
        var overdue = await revisits.CountAsync(r => r.Status == RevisitStatuses.Open && r.DueOn < today, ct);
        var done = completed?.Completed ?? 0;
        var onTime = completed?.OnTime ?? 0;

        return TypedResults.Ok(new BookSummary(manager, slices.Sum(s => s.Customers), slices.Sum(s => s.Assets), slices.Sum(s => s.Clv),
            new BookOnTime(from, today, done, onTime, overdue, done == 0 ? 0 : Math.Round((double)onTime / done, 4)),
            byTier, bySegment, byLifecycle,
            atRisk.Select(c => c with { CustomerName = PersonalData.MaskName(c.CustomerName) }).ToList()));
    }
}
