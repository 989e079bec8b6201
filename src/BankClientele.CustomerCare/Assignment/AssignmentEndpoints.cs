using BankClientele.CustomerCare.Managers;
using System.ComponentModel.DataAnnotations;
using BankClientele.Contracts.CustomerCare;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Privacy;
using Microsoft.EntityFrameworkCore;
using BankClientele.Hosting.Refusals;

namespace BankClientele.CustomerCare.Assignment;

/// <summary>A manager's book: load in weighted units against capacity, customers and assets under management.</summary>
public sealed record ManagerBook(string StaffId, string Name, string BranchCode, ManagerStatus Status, bool Senior, int Capacity, int Load, int Customers, decimal Assets);

public sealed record Reassign(
    [property: Required, StringLength(40, MinimumLength = 1)] string RelationshipManagerId,
    [property: Required, StringLength(200, MinimumLength = 2)] string Reason);

public sealed record AssignmentChangeView(Guid Id, Guid CustomerId, string BranchCode, string? FromManagerId, string? ToManagerId, string Reason, string? Note, string ChangedBy, DateTimeOffset ChangedAt);

/// <summary>A customer found by name or number for the branch lead's pickers: the name masked, the manager by name.</summary>
public sealed record CustomerPick(Guid Id, string NameMasked, string? CustomerNumber, string Tier, string? RelationshipManagerId, string? RelationshipManagerName);

/// <summary>
/// What moving one customer to a manager would do, before it is done: every manager of the branch with
/// their load before and after, and whether the move would be accepted (else <see cref="Refusal"/> says why, and
/// <see cref="RefusalCode"/> is the <see cref="ProblemCodes"/> code the move itself would be refused with).
/// </summary>
public sealed record ReassignmentWhatIf(Guid CustomerId, string Tier, int Weight, string? FromManagerId, string ToManagerId, bool Allowed, string? Refusal,
    IReadOnlyList<ManagerLoad> Managers, string? RefusalCode = null);

public static class AssignmentEndpoints
{
    public const int MaxPicks = 20;

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
        assignment.MapGet("/customers", FindCustomersAsync).RequireAuthorization(p => p.RequireRole(leads));
        app.MapGet("/api/customers/{id:guid}/reassignment/what-if", WhatIfAsync).WithTags("Assignment")
            .RequireAuthorization(p => p.RequireRole(leads));
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
            return FieldErrors.Problem("relationshipManagerId", FieldReasons.NotOfThisBranch, $"{request.RelationshipManagerId} is not a manager of branch {customer.BranchCode}.");
        }
        if (target.Status != ManagerStatus.Active)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Manager not taking customers",
                detail: $"{target.StaffId} is {target.Status} and takes no new customers.",
                extensions: new Dictionary<string, object?> { ["code"] = ProblemCodes.ManagerNotTakingCustomers });
        }
        if (customer.RelationshipManagerId == target.StaffId)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already assigned",
                detail: $"The customer is already with {target.StaffId}.",
                extensions: new Dictionary<string, object?> { ["code"] = ProblemCodes.AlreadyAssigned });
        }
        var weight = assignments.WeightOf(customer.Tier);
        var load = (await assignments.LoadsAsync([target.StaffId], ct)).GetValueOrDefault(target.StaffId);
        if (load + weight > target.Capacity)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Manager at capacity",
                detail: $"{target.StaffId} carries {load} of {target.Capacity} units; this {customer.Tier} customer weighs {weight}.",
                extensions: new Dictionary<string, object?> { ["code"] = ProblemCodes.ManagerAtCapacity, ["capacity"] = target.Capacity, ["load"] = load, ["weight"] = weight });
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
            Note = FreeText.MaskNumbers(request.Reason.Trim()),
            ChangedBy = scope.StaffId,
            ChangedAt = now,
        };
        db.AssignmentChanges.Add(change);
        customer.AssignmentVersion++;
        db.Publish(new RelationshipManagerAssigned(customer.Id, target.StaffId, customer.BranchCode, now, customer.RelationshipManagerId, AssignmentReasons.Manual, customer.AssignmentVersion));
        customer.RelationshipManagerId = target.StaffId;
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(View(change));
    }

    /// <summary>The branch's customers whose name contains <paramref name="name"/> or whose number starts with it (at most 20), for picking by name.</summary>
    private static async Task<IResult> FindCustomersAsync(string? branchCode, string? name, HttpContext http, CustomerCareDbContext db, CancellationToken ct)
    {
        if (BranchRefused(branchCode, http) is { } refused)
        {
            return refused;
        }
        var text = name?.Trim();
        if (FieldErrors.BadText("name", text, 50, "Type part of the customer's name or the start of their number (1 to 50 characters).", out var badName))
        {
            return badName;
        }
        var found = await db.Customers.AsNoTracking().VisibleTo(DataScope.Of(http.User))
            .Where(c => c.BranchCode == branchCode && (c.FullName.Contains(text) || (c.CustomerNumber != null && c.CustomerNumber.StartsWith(text))))
            .OrderBy(c => c.FullName).ThenBy(c => c.Id).Take(MaxPicks)
            .Select(c => new
            {
                c.Id, c.FullName, c.CustomerNumber, c.Tier, c.RelationshipManagerId,
                Manager = db.RelationshipManagers.Where(m => m.StaffId == c.RelationshipManagerId).Select(m => m.Name).FirstOrDefault(),
            })
            .ToListAsync(ct);
        return TypedResults.Ok(found.Select(c => new CustomerPick(c.Id, Hosting.Privacy.PersonalData.MaskName(c.FullName), c.CustomerNumber, c.Tier,
            c.RelationshipManagerId, c.Manager)).ToList());
    }

    /// <summary>The reassignment's effect on every manager of the customer's branch, changing nothing; the same checks as the move itself.</summary>
    private static async Task<IResult> WhatIfAsync(Guid id, string? relationshipManagerId, HttpContext http, CustomerCareDbContext db, AssignmentService assignments, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(relationshipManagerId))
        {
            return FieldErrors.Problem("relationshipManagerId", FieldReasons.Required, "Name the manager to move the customer to.");
        }
        var customer = await db.Customers.AsNoTracking().VisibleTo(DataScope.Of(http.User)).SingleOrDefaultAsync(c => c.Id == id, ct);
        if (customer is null)
        {
            return TypedResults.NotFound();
        }
        var managers = await db.RelationshipManagers.AsNoTracking().Where(m => m.BranchCode == customer.BranchCode).OrderBy(m => m.StaffId).ToListAsync(ct);
        var target = managers.SingleOrDefault(m => m.StaffId == relationshipManagerId);
        if (target is null)
        {
            return FieldErrors.Problem("relationshipManagerId", FieldReasons.NotOfThisBranch, $"{relationshipManagerId} is not a manager of branch {customer.BranchCode}.");
        }
        var weight = assignments.WeightOf(customer.Tier);
        var loads = await assignments.LoadsAsync(managers.Select(m => m.StaffId).ToList(), ct);
        var before = loads.GetValueOrDefault(target.StaffId);
        var (refusalCode, refusal) = target.Status != ManagerStatus.Active
                ? (ProblemCodes.ManagerNotTakingCustomers, $"{target.StaffId} is {target.Status} and takes no new customers.")
            : customer.RelationshipManagerId == target.StaffId ? (ProblemCodes.AlreadyAssigned, $"The customer is already with {target.StaffId}.")
            : before + weight > target.Capacity
                ? (ProblemCodes.ManagerAtCapacity, $"{target.StaffId} carries {before} of {target.Capacity} units; this {customer.Tier} customer weighs {weight}.")
            : ((string?)null, (string?)null);
        var rows = managers.Select(m =>
        {
            var load = loads.GetValueOrDefault(m.StaffId);
            var after = refusal is not null ? load
                : m.StaffId == target.StaffId ? load + weight
                : m.StaffId == customer.RelationshipManagerId ? load - weight
                : load;
            return new ManagerLoad(m.StaffId, m.Name, m.Status, m.Senior, m.Capacity, load, after);
        }).ToList();
        return TypedResults.Ok(new ReassignmentWhatIf(customer.Id, customer.Tier, weight, customer.RelationshipManagerId, target.StaffId, refusal is null, refusal, rows, refusalCode));
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
            return FieldErrors.Problem("branchCode", FieldReasons.Required, "Name the branch to assign.");
        }
        return DataScope.Of(http.User).CanSeeBranch(branchCode)
            ? null
            : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Another branch", detail: $"You may not assign in branch {branchCode}.",
                extensions: new Dictionary<string, object?> { ["code"] = ProblemCodes.AnotherBranch });
    }

    /// <summary>The change as served: its note (a lead's free text) with numbers masked, also for notes written before the rule.</summary>
    private static AssignmentChangeView View(AssignmentChange a) =>
        new(a.Id, a.CustomerId, a.BranchCode, a.FromManagerId, a.ToManagerId, a.Reason, FreeText.MaskNumbers(a.Note), a.ChangedBy, a.ChangedAt);
}
