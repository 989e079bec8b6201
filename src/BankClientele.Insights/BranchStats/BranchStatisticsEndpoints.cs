using BankClientele.Hosting.Auth;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Insights.BranchStats;

public sealed record BranchStatisticsView(string BranchCode, int Customers, int Assignments, int Visits, DateTimeOffset UpdatedAt);

public static class BranchStatisticsEndpoints
{
    public static IEndpointRouteBuilder MapBranchStatisticsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/branch-stats", ListAsync).WithTags("Branch statistics");
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext http, InsightsDbContext db, CancellationToken ct)
    {
        var rows = await db.BranchStatistics.AsNoTracking().InBranchesOf(DataScope.Of(http.User))
            .OrderBy(s => s.BranchCode)
            .Select(s => new BranchStatisticsView(s.BranchCode, s.Customers, s.Assignments, s.Visits, s.UpdatedAt))
            .ToListAsync(ct);
        return TypedResults.Ok(rows);
    }
}
