using BankClientele.Hosting.Auth;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Acquisition.Segments;

public static class SegmentEndpoints
{
    public static IEndpointRouteBuilder MapSegmentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/segments/ranking", RankAsync).WithTags("Segments");
        return app;
    }

    private sealed record Row(string District, string AgeBand, long Size, long Reachable, decimal? Clv, decimal? Deposits);

    /// <summary>Open prospects of a branch grouped by district and age band, ranked on the four tests.</summary>
    private static async Task<IResult> RankAsync(string? branchCode, int? capacity, HttpContext http, AcquisitionDbContext db, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        var branch = branchCode ?? scope.BranchCode;
        if (branch is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["branchCode"] = ["Name the branch whose segments to rank."] });
        }
        if (!scope.CanSeeBranch(branch))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Branch out of scope", detail: $"You may not see branch '{branch}'.");
        }
        if (capacity is < 1 or > 1_000_000)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["capacity"] = ["Capacity (contacts the branch can serve) must be 1 to 1,000,000."] });
        }
        var rows = await db.Database.SqlQuery<Row>($"""
            SELECT coalesce(p.district, '-') AS district, coalesce(p.age_band, '-') AS age_band,
                   count(*) FILTER (WHERE p.customer_id IS NULL) AS size,
                   count(*) FILTER (WHERE p.customer_id IS NULL AND p.marketing_consent
                                    AND NOT EXISTS (SELECT 1 FROM do_not_contact d WHERE d.phone_hash = p.phone_hash)) AS reachable,
                   avg(e.expected_lifetime_value) AS clv,
                   avg(coalesce(p.deposit_after90days, p.initial_deposit)) FILTER (WHERE p.customer_id IS NOT NULL) AS deposits
            FROM prospects p LEFT JOIN existing_customers e ON e.customer_id = p.customer_id
            WHERE p.branch_code = {branch}
            GROUP BY 1, 2
            """).ToListAsync(ct);
        var candidates = rows.Where(r => r.Size > 0)
            .Select(r => new SegmentCandidate(r.District, r.AgeBand, (int)r.Size, (int)r.Reachable, Math.Round(r.Clv ?? r.Deposits ?? 0m, 2)))
            .ToList();
        return TypedResults.Ok(SegmentScoring.Rank(candidates, capacity ?? 200));
    }
}
