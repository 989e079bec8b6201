using BankClientele.Hosting.Audit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.CustomerCare.Audit;

/// <summary>CustomerCare's part of the audit log: customers' personal data shown unmasked, and assignments people changed.</summary>
public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app) =>
        app.MapAuditLog<CustomerCareDbContext>(ReadAsync);

    /// <summary>An unmasked view belongs to its customer's branch (the view row keeps no branch of its own).</summary>
    private static async Task<IEnumerable<AuditEntry>> ReadAsync(AuditFilter filter, CustomerCareDbContext db, CancellationToken ct)
    {
        var branches = filter.Branches;
        var entries = new List<AuditEntry>();
        if (filter.Wants(AuditKinds.Unmask))
        {
            var views = await (
                from v in db.PersonalDataViews.AsNoTracking()
                join c in db.Customers.AsNoTracking() on v.SubjectId equals c.Id
                where v.ViewedAt >= filter.From && v.ViewedAt < filter.To
                      && (filter.StaffId == null || v.StaffId == filter.StaffId)
                      && (branches == null || branches.Contains(c.BranchCode))
                orderby v.ViewedAt descending
                select new { v.ViewedAt, v.StaffId, c.BranchCode, c.CustomerNumber, v.Fields, v.Reason })
                .Take(AuditFilter.MaxRows).ToListAsync(ct);
            entries.AddRange(views.Select(v => AuditEntry.Unmask(v.ViewedAt, v.StaffId, v.BranchCode, "customer", v.CustomerNumber ?? "", v.Fields, v.Reason)));
        }
        if (filter.Wants(AuditKinds.Assignment))
        {
            var changes = await db.AssignmentChanges.AsNoTracking()
                .Where(a => a.ChangedAt >= filter.From && a.ChangedAt < filter.To && a.ChangedBy != "system"
                            && (filter.StaffId == null || a.ChangedBy == filter.StaffId)
                            && (branches == null || branches.Contains(a.BranchCode)))
                .OrderByDescending(a => a.ChangedAt).Take(AuditFilter.MaxRows)
                .Join(db.Customers, a => a.CustomerId, c => c.Id, (a, c) => new { a.ChangedAt, a.ChangedBy, a.BranchCode, c.CustomerNumber, a.FromManagerId, a.ToManagerId, a.Reason, a.Note })
                .ToListAsync(ct);
            entries.AddRange(changes.Select(a => AuditEntry.Assignment(a.ChangedAt, a.ChangedBy, a.BranchCode, a.CustomerNumber, a.FromManagerId, a.ToManagerId, a.Reason, a.Note)));
        }
        return entries;
    }
}
