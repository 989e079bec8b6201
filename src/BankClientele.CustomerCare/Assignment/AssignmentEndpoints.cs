using System.ComponentModel.DataAnnotations;
using BankClientele.Contracts.CustomerCare;
using BankClientele.Hosting.Auth;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.CustomerCare.Assignment;

/// <summary>A manager's book: load in weighted units against capacity, customers and assets under management.</summary>
public sealed record ManagerBook(string StaffId, string Name, string BranchCode, ManagerStatus Status, bool Senior, int Capacity, int Load, int Customers, decimal Assets);

public sealed record Reassign(
    [property: Required, StringLength(40, MinimumLength = 1)] string RelationshipManagerId,
    [property: Required, StringLength(200, MinimumLength = 2)] string Reason);

public sealed record AssignmentChangeView(Guid Id, Guid CustomerId, string BranchCode, string? FromManagerId, string? ToManagerId, string Reason, string? Note, string ChangedBy, DateTimeOffset ChangedAt);

public static class AssignmentEndpoints
{
    public static IEndpointRouteBuilder MapAssignmentEndpoints(this IEndpointRouteBuilder app)
    {
        var leads = new[] { StaffRoles.BranchLead, StaffRoles.HeadOffice, StaffRoles.Administrator };
        var assignment = app.MapGroup("/api/assignment").WithTags("Assignment");
        assignment.MapGet("/books", BooksAsync);
        assignment.MapGet("/preview", PreviewAsync).RequireAuthorization(p => p.RequireRole(leads));
        assignment.MapPost("/apply", ApplyAsync).RequireAuthorization(p => p.RequireRole(leads));
        assignment.MapPost("/run", RunAsync).RequireAuthorization(p => p.RequireRole(leads));
        app.MapPost("/api/relationship-managers/{id}/departure", DepartureAsync).WithTags("Relationship managers")
            .RequireAuthorization(p => p.RequireRole(leads));
        app.MapPost("/api/customers/{id:guid}/reassignment", ReassignAsync).WithTags("Assignment")
            .RequireAuthorization(p => p.RequireRole(leads));
        app.MapGet("/api/customers/{id:guid}/assignment-history", HistoryAsync).WithTags("Assignment");
        return app;
    }

    private static async Task<IResult> BooksAsync(string? branchCode, HttpContext http, CustomerCareDbContext db, AssignmentService assignments, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        var managers = await db.RelationshipManagers.AsNoTracking().InBranchesOf(scope)
            .Where(m => branchCode == null || m.BranchCode == branchCode)
            .OrderBy(m => m.BranchCode).ThenBy(m => m.StaffId).ToListAsync(ct);
        var ids = managers.Select(m => m.StaffId).ToList();
        var loads = await assignments.LoadsAsync(ids, ct);
        var totals = await db.Customers.AsNoTracking()
            .Where(c => c.RelationshipManagerId != null && ids.Contains(c.RelationshipManagerId))
            .GroupBy(c => c.RelationshipManagerId!)
            .Select(g => new { StaffId = g.Key, Count = g.Count(), Assets = g.Sum(c => c.AverageAssets) })
            .ToDictionaryAsync(x => x.StaffId, ct);
        return TypedResults.Ok(managers.Select(m => new ManagerBook(
            m.StaffId, m.Name, m.BranchCode, m.Status, m.Senior, m.Capacity, loads.GetValueOrDefault(m.StaffId),
            totals.GetValueOrDefault(m.StaffId)?.Count ?? 0, totals.GetValueOrDefault(m.StaffId)?.Assets ?? 0m)).ToList());
    }

    private static async Task<IResult> PreviewAsync(string? branchCode, HttpContext http, AssignmentService assignments, CancellationToken ct) =>
        BranchRefused(branchCode, http) ?? TypedResults.Ok(await assignments.PlanAsync(branchCode!, AssignmentMode.Rebalance, ct));

    private static async Task<IResult> ApplyAsync(string? branchCode, HttpContext http, AssignmentService assignments, CancellationToken ct) =>
        BranchRefused(branchCode, http)
        ?? TypedResults.Ok(await assignments.ApplyAsync(branchCode!, AssignmentMode.Rebalance, DataScope.Of(http.User).StaffId, ct));

    /// <summary>Assigns the unassigned eligible customers (and those of managers who left) of one branch, or of every branch in scope.</summary>
    private static async Task<IResult> RunAsync(string? branchCode, HttpContext http, CustomerCareDbContext db, AssignmentService assignments, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        if (branchCode is not null && BranchRefused(branchCode, http) is { } refused)
        {
            return refused;
        }
        var branches = branchCode is not null
            ? [branchCode]
            : await db.RelationshipManagers.AsNoTracking().InBranchesOf(scope).Select(m => m.BranchCode).Distinct().OrderBy(b => b).ToListAsync(ct);
        var plans = new List<AssignmentPlan>();
        foreach (var branch in branches)
        {
            plans.Add(await assignments.ApplyAsync(branch, AssignmentMode.Unassigned, scope.StaffId, ct));
        }
        return TypedResults.Ok(plans);
    }

    /// <summary>A manager leaves: they become inactive and their book goes to the branch's other managers at once.</summary>
    private static async Task<IResult> DepartureAsync(string id, HttpContext http, CustomerCareDbContext db, AssignmentService assignments, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        var manager = await db.RelationshipManagers.InBranchesOf(scope).SingleOrDefaultAsync(m => m.StaffId == id, ct);
        if (manager is null)
        {
            return TypedResults.NotFound();
        }
        manager.Status = ManagerStatus.Inactive;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await assignments.ApplyAsync(manager.BranchCode, AssignmentMode.Unassigned, scope.StaffId, ct));
    }

    /// <summary>A branch lead moves one customer by hand, with a reason; a manager at capacity is a 409, never an overflow.</summary>
    private static async Task<IResult> ReassignAsync(Guid id, Reassign request, HttpContext http, CustomerCareDbContext db, AssignmentService assignments, TimeProvider time, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var customer = await db.Customers.VisibleTo(scope).SingleOrDefaultAsync(c => c.Id == id, ct);
        if (customer is null)
        {
            return TypedResults.NotFound();
        }
        var managers = await assignments.LockBranchAsync(customer.BranchCode, ct);
        var target = managers.SingleOrDefault(m => m.StaffId == request.RelationshipManagerId);
        if (target is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["relationshipManagerId"] = [$"{request.RelationshipManagerId} is not a manager of branch {customer.BranchCode}."],
            });
        }
        if (target.Status != ManagerStatus.Active)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Manager not taking customers",
                detail: $"{target.StaffId} is {target.Status} and takes no new customers.");
        }
        if (customer.RelationshipManagerId == target.StaffId)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already assigned",
                detail: $"The customer is already with {target.StaffId}.");
        }
        var weight = assignments.WeightOf(customer.Tier);
        var load = (await assignments.LoadsAsync([target.StaffId], ct)).GetValueOrDefault(target.StaffId);
        if (load + weight > target.Capacity)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Manager at capacity",
                detail: $"{target.StaffId} carries {load} of {target.Capacity} units; this {customer.Tier} customer weighs {weight}.",
                extensions: new Dictionary<string, object?> { ["capacity"] = target.Capacity, ["load"] = load, ["weight"] = weight });
        }
        var now = time.GetUtcNow();
        var change = new AssignmentChange
        {
            Id = Guid.CreateVersion7(),
            CustomerId = customer.Id,
            BranchCode = customer.BranchCode,
            FromManagerId = customer.RelationshipManagerId,
            ToManagerId = target.StaffId,
            Reason = AssignmentReasons.Manual,
            Note = request.Reason.Trim(),
            ChangedBy = scope.StaffId,
            ChangedAt = now,
        };
        db.AssignmentChanges.Add(change);
        db.Publish(new RelationshipManagerAssigned(customer.Id, target.StaffId, customer.BranchCode, now, customer.RelationshipManagerId, AssignmentReasons.Manual));
        customer.RelationshipManagerId = target.StaffId;
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(View(change));
    }

    private static async Task<IResult> HistoryAsync(Guid id, HttpContext http, CustomerCareDbContext db, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        if (!await db.Customers.AsNoTracking().VisibleTo(scope).AnyAsync(c => c.Id == id, ct))
        {
            return TypedResults.NotFound();
        }
        var changes = await db.AssignmentChanges.AsNoTracking().Where(a => a.CustomerId == id)
            .OrderByDescending(a => a.ChangedAt).ThenByDescending(a => a.Id).ToListAsync(ct);
        return TypedResults.Ok(changes.Select(View).ToList());
    }

    /// <summary>A problem when the branch is missing (400 naming the field) or outside the caller's scope (403).</summary>
    private static IResult? BranchRefused(string? branchCode, HttpContext http)
    {
        if (string.IsNullOrWhiteSpace(branchCode))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["branchCode"] = ["Name the branch to assign."] });
        }
        return DataScope.Of(http.User).CanSeeBranch(branchCode)
            ? null
            : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Another branch", detail: $"You may not assign in branch {branchCode}.");
    }

    private static AssignmentChangeView View(AssignmentChange a) =>
        new(a.Id, a.CustomerId, a.BranchCode, a.FromManagerId, a.ToManagerId, a.Reason, a.Note, a.ChangedBy, a.ChangedAt);
}
