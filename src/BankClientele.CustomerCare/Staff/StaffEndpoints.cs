using BankClientele.Hosting.Refusals;
using BankClientele.Contracts.CustomerCare;
using BankClientele.CustomerCare.Assignment;
using BankClientele.CustomerCare.Managers;
using BankClientele.Hosting.Auth;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.CustomerCare.Staff;

/// <summary>What a deactivation did in CustomerCare.</summary>
public sealed record StaffDeactivation(string StaffId, DateTimeOffset DeactivatedAt, int CustomersUnassigned, int CalendarLinksRevoked);

public static class StaffEndpoints
{
    public static IEndpointRouteBuilder MapStaffEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/staff/{staffId}/deactivation", DeactivateAsync).WithTags("Staff")
            .RequireAuthorization(p => p.RequireRole(StaffRoles.Administrator, StaffRoles.HeadOffice));
        return app;
    }

    /// <summary>
    /// The portal deactivated someone: their calendar link is revoked (and refused from now on), and
    /// if they were a relationship manager they leave, their customers go back to the branch pool
    /// unassigned (the lead sees them waiting on the assignment page) with their open revisits.
    /// Each customer's version goes one up and a RelationshipManagerUnassigned is published in the same transaction;
    /// the lead's next assignment run gives them a manager (RelationshipManagerAssigned). Deactivating twice changes nothing more.
    /// </summary>
    private static async Task<IResult> DeactivateAsync(string staffId, HttpContext http, CustomerCareDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (FieldErrors.BadText("staffId", staffId, 40, "staffId is 1 to 40 characters.", out var badStaffId))
        {
            return badStaffId;
        }
        var scope = DataScope.Of(http.User);
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var known = await db.Set<DeactivatedStaff>().AnyAsync(s => s.StaffId == staffId, ct);
        if (!known)
        {
            db.Add(new DeactivatedStaff { StaffId = staffId, DeactivatedAt = now, DeactivatedBy = scope.StaffId });
        }
        var links = await db.CalendarLinks.Where(l => l.StaffId == staffId).ExecuteDeleteAsync(ct);
        var unassigned = 0;
        var manager = await db.RelationshipManagers.SingleOrDefaultAsync(m => m.StaffId == staffId, ct);
        if (manager is not null)
        {
            manager.Status = ManagerStatus.Inactive;
            var book = await db.Customers.FromSql($"SELECT * FROM customers WHERE relationship_manager_id = {staffId} ORDER BY id FOR UPDATE").ToListAsync(ct);
            foreach (var customer in book)
            {
                customer.RelationshipManagerId = null;
                customer.AssignmentVersion++;
                db.AssignmentChanges.Add(new AssignmentChange
                {
                    Id = Guid.CreateVersion7(), CustomerId = customer.Id, BranchCode = customer.BranchCode, FromManagerId = staffId, ToManagerId = null,
                    Reason = AssignmentReasons.ManagerLeft, Note = "deactivated", ChangedBy = scope.StaffId, ChangedAt = now,
                });
                db.Publish(new RelationshipManagerUnassigned(customer.Id, customer.BranchCode, staffId, AssignmentReasons.ManagerLeft, now, customer.AssignmentVersion));
            }
            unassigned = book.Count;
            await db.Revisits.Where(r => r.RelationshipManagerId == staffId && r.Status == Revisits.RevisitStatuses.Open)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.RelationshipManagerId, (string?)null), ct);
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(new StaffDeactivation(staffId, now, unassigned, links));
    }

    /// <summary>Whether the staff id was deactivated (its calendar feed and links are refused).</summary>
    public static Task<bool> IsDeactivatedAsync(CustomerCareDbContext db, string staffId, CancellationToken ct) =>
        db.Set<DeactivatedStaff>().AnyAsync(s => s.StaffId == staffId, ct);
}
