using BankClientele.FootTraffic.Staffing;
using BankClientele.Hosting.Audit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.FootTraffic.Audit;

/// <summary>FootTraffic's part of the audit log: who replaced a branch's roster.</summary>
public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app) =>
        app.MapAuditLog<FootTrafficDbContext>(ReadAsync);

    private static async Task<IEnumerable<AuditEntry>> ReadAsync(AuditFilter filter, FootTrafficDbContext db, CancellationToken ct)
    {
        if (!filter.Wants(AuditKinds.Roster))
        {
            return [];
        }
        var branches = filter.Branches;
        var rows = await db.Set<RosterChange>().AsNoTracking()
            .Where(r => r.ChangedAt >= filter.From && r.ChangedAt < filter.To
                        && (filter.StaffId == null || r.ChangedBy == filter.StaffId)
                        && (branches == null || branches.Contains(r.BranchCode)))
            .OrderByDescending(r => r.ChangedAt).Take(AuditFilter.MaxRows).ToListAsync(ct);
        return rows.Select(r => AuditEntry.Roster(r.ChangedAt, r.ChangedBy, r.BranchCode, r.Slots, r.CounterHours, r.GreeterHours));
    }
}
