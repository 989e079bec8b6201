using System.ComponentModel.DataAnnotations;
using BankClientele.Hosting.Auth;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.CustomerCare.Managers;

public sealed record RelationshipManagerView(string StaffId, string Name, string BranchCode, int Capacity, int CustomerCount,
    ManagerStatus Status = ManagerStatus.Active, bool Senior = false);

public sealed record SaveRelationshipManager(
    [property: Required, StringLength(40, MinimumLength = 1)] string StaffId,
    [property: Required, StringLength(100, MinimumLength = 1)] string Name,
    [property: Required, StringLength(20, MinimumLength = 1)] string BranchCode,
    [property: Range(0, 5000)] int Capacity,
    ManagerStatus? Status = null,
    bool? Senior = null);

public static class RelationshipManagerEndpoints
{
    public static IEndpointRouteBuilder MapRelationshipManagerEndpoints(this IEndpointRouteBuilder app)
    {
        var managers = app.MapGroup("/api/relationship-managers").WithTags("Relationship managers");
        managers.MapGet("/", ListAsync);
        managers.MapPut("/", SaveAsync).RequireAuthorization(policy => policy.RequireRole(StaffRoles.Administrator, StaffRoles.HeadOffice));
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext http, CustomerCareDbContext db, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        var rows = await db.RelationshipManagers.AsNoTracking().InBranchesOf(scope)
            .OrderBy(m => m.BranchCode).ThenBy(m => m.StaffId)
            .Select(m => new RelationshipManagerView(
                m.StaffId, m.Name, m.BranchCode, m.Capacity,
                db.Customers.Count(c => c.RelationshipManagerId == m.StaffId), m.Status, m.Senior))
            .ToListAsync(ct);
        return TypedResults.Ok(rows);
    }

    /// <summary>Adds or updates a manager (the roster comes from HR; head office keeps it here).</summary>
    private static async Task<IResult> SaveAsync(SaveRelationshipManager request, CustomerCareDbContext db, CancellationToken ct)
    {
        var manager = await db.RelationshipManagers.FindAsync([request.StaffId], ct);
        if (manager is null)
        {
            db.RelationshipManagers.Add(new RelationshipManager
            {
                StaffId = request.StaffId,
                Name = request.Name,
                BranchCode = request.BranchCode,
                Capacity = request.Capacity,
                Status = request.Status ?? ManagerStatus.Active,
                Senior = request.Senior ?? false,
            });
        }
        else
        {
            manager.Name = request.Name;
            manager.BranchCode = request.BranchCode;
            manager.Capacity = request.Capacity;
            manager.Status = request.Status ?? manager.Status;
            manager.Senior = request.Senior ?? manager.Senior;
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new RelationshipManagerView(request.StaffId, request.Name, request.BranchCode, request.Capacity, 0,
            request.Status ?? manager?.Status ?? ManagerStatus.Active, request.Senior ?? manager?.Senior ?? false));
    }
}
