using BankClientele.FootTraffic.Staffing;
using BankClientele.Hosting.Audit;
using BankClientele.Hosting.Auth;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.FootTraffic.Audit;

/// <summary>FootTraffic's part of the audit log: who replaced a branch's roster.</summary>
public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/audit", ReadAsync).WithTags("Audit")
            .RequireAuthorization(p => p.RequireRole(StaffRoles.BranchLead, StaffRoles.RegionHead, StaffRoles.HeadOffice, StaffRoles.Administrator));
        return app;
    }

    private static async Task<IResult> ReadAsync(string? branchCode, DateOnly? from, DateOnly? to, string? staffId, string? kind,
        HttpContext http, FootTrafficDbContext db, CancellationToken ct)
    {
        var (filter, refused) = AuditFilter.Parse(http, branchCode, from, to, staffId, kind);
        if (filter is null)
        {
            return refused!;
        }
        if (!filter.Wants(AuditKinds.Roster))
        {
            return TypedResults.Ok(new List<AuditEntry>());
        }
        var branches = filter.Branches;
        var rows = await db.Set<RosterChange>().AsNoTracking()
            .Where(r => r.ChangedAt >= filter.From && r.ChangedAt < filter.To
                        && (filter.StaffId == null || r.ChangedBy == filter.StaffId)
                        && (branches == null || branches.Contains(r.BranchCode)))
            .OrderByDescending(r => r.ChangedAt).Take(AuditFilter.MaxRows).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(r => AuditEntry.Roster(r.ChangedAt, r.ChangedBy, r.BranchCode, r.Slots, r.CounterHours, r.GreeterHours)).ToList());
    }
}
