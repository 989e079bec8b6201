using BankClientele.Hosting.Auth;
using BankClientele.Insights.Kpis;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Insights.BranchStats;

/// <param name="Assignments">RelationshipManagerAssigned events counted (every move, so a customer moved twice counts twice).</param>
/// <param name="Assigned">Customers of the branch in a manager's book now (the newest manager event per customer).</param>
public sealed record BranchStatisticsView(string BranchCode, int Customers, int Assignments, int Visits, DateTimeOffset UpdatedAt, int Assigned = 0);

public static class BranchStatisticsEndpoints
{
    public static IEndpointRouteBuilder MapBranchStatisticsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/branch-stats", ListAsync).WithTags("Branch statistics");
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext http, InsightsDbContext db, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        var rows = await db.BranchStatistics.AsNoTracking().InBranchesOf(scope)
            .OrderBy(s => s.BranchCode)
            .Select(s => new BranchStatisticsView(s.BranchCode, s.Customers, s.Assignments, s.Visits, s.UpdatedAt, 0))
            .ToListAsync(ct);
        var assigned = await db.Set<ManagerBookEntry>().AsNoTracking().InBranchesOf(scope)
            .Where(m => m.RelationshipManagerId != null)
            .GroupBy(m => m.BranchCode)
            .Select(g => new { Branch = g.Key, Customers = g.Count() })
            .ToDictionaryAsync(g => g.Branch, g => g.Customers, ct);
        return TypedResults.Ok(rows.Select(r => r with { Assigned = assigned.GetValueOrDefault(r.BranchCode) }).ToList());
    }
}
