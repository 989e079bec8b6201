using BankClientele.Hosting.Audit;
using BankClientele.Hosting.Auth;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Acquisition.Audit;

/// <summary>Acquisition's part of the audit log: prospects' personal data shown unmasked.</summary>
public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/audit", ReadAsync).WithTags("Audit")
            .RequireAuthorization(p => p.RequireRole(StaffRoles.BranchLead, StaffRoles.RegionHead, StaffRoles.HeadOffice, StaffRoles.Administrator));
        return app;
    }

    /// <summary>Newest first; a view belongs to its prospect's branch.</summary>
    private static async Task<IResult> ReadAsync(string? branchCode, DateOnly? from, DateOnly? to, string? staffId, string? kind,
        HttpContext http, AcquisitionDbContext db, CancellationToken ct)
    {
        var (filter, refused) = AuditFilter.Parse(http, branchCode, from, to, staffId, kind);
        if (filter is null)
        {
            return refused!;
        }
        if (!filter.Wants(AuditKinds.Unmask))
        {
            return TypedResults.Ok(new List<AuditEntry>());
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
        return TypedResults.Ok(views.Select(v => AuditEntry.Unmask(v.ViewedAt, v.StaffId, v.BranchCode, "prospect", v.Id.ToString(), v.Fields, v.Reason)).ToList());
    }
}
