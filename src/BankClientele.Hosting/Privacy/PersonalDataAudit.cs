using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Database;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Hosting.Privacy;

public sealed record PersonalDataViewRecord(
    Guid Id, string StaffId, string Role, string SubjectType, Guid SubjectId, string Fields, string Reason, DateTimeOffset ViewedAt);

public static class PersonalDataAudit
{
    /// <summary>
    /// Who may see personal data unmasked: the people who serve the customer (their relationship
    /// manager, their branch's lead). Head office and administrators work with masked data only.
    /// </summary>
    public static bool MayUnmask(DataScope scope) => scope.Role is StaffRoles.RelationshipManager or StaffRoles.BranchLead;

    /// <summary>Records the view (the reason, free text, with any number in it masked); it is saved with the caller's next SaveChanges.</summary>
    public static void RecordPersonalDataView(this ServiceDbContext db, DataScope scope, string subjectType, Guid subjectId, string fields, string reason) =>
        db.PersonalDataViews.Add(new PersonalDataView
        {
            Id = Guid.CreateVersion7(),
            StaffId = scope.StaffId,
            Role = scope.Role,
            SubjectType = subjectType,
            SubjectId = subjectId,
            Fields = fields,
            Reason = FreeText.MaskNumbers(reason)!,
            ViewedAt = DateTimeOffset.UtcNow,
        });

    /// <summary>
    /// GET /api/personal-data-views: the audit trail, newest first, for administrators (it names
    /// staff and subjects, never the data itself).
    /// </summary>
    public static IEndpointRouteBuilder MapPersonalDataAudit(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/personal-data-views", async (ServiceDbContext db, Guid? subjectId, CancellationToken ct) =>
            {
                var query = db.PersonalDataViews.AsNoTracking();
                if (subjectId is { } id)
                {
                    query = query.Where(v => v.SubjectId == id);
                }
                var rows = await query.OrderByDescending(v => v.ViewedAt).Take(500)
                    .Select(v => new PersonalDataViewRecord(v.Id, v.StaffId, v.Role, v.SubjectType, v.SubjectId, v.Fields, v.Reason, v.ViewedAt))
                    .ToListAsync(ct);
                // Reasons recorded before the rule are masked on the way out.
                return TypedResults.Ok(rows.Select(r => r with { Reason = FreeText.MaskNumbers(r.Reason)! }).ToList());
            })
            .RequireAuthorization(policy => policy.RequireRole(StaffRoles.Administrator))
            .WithTags("Audit");
        return app;
    }
}
