using BankClientele.Hosting.Audit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Acquisition.Audit;

/// <summary>Acquisition's part of the audit log: prospects' personal data shown unmasked.</summary>
public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app) =>
        app.MapAuditLog<AcquisitionDbContext>(ReadAsync);

    /// <summary>A view belongs to its prospect's branch.</summary>
    private static async Task<IEnumerable<AuditEntry>> ReadAsync(AuditFilter filter, AcquisitionDbContext db, CancellationToken ct)
    {
        if (!filter.Wants(AuditKinds.Unmask))
        {
            return [];
        }
        var branches = filter.Branches;
        var views = await (
            from v in db.PersonalDataViews.AsNoTracking()
            join p in db.Prospects.AsNoTracking() on v.SubjectId equals p.Id
            where v.ViewedAt >= filter.From && v.ViewedAt < filter.To
                  && (filter.StaffId == null || v.StaffId == filter.StaffId)
                  && (branches == null || branches.Contains(p.BranchCode))
            orderby v.ViewedAt descending
            select new { v.ViewedAt, v.StaffId, p.BranchCode, p.Id, v.Fields, v.Reason })
            .Take(AuditFilter.MaxRows).ToListAsync(ct);
        return views.Select(v => AuditEntry.Unmask(v.ViewedAt, v.StaffId, v.BranchCode, "prospect", v.Id.ToString(), v.Fields, v.Reason));
    }
}
