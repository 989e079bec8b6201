using BankClientele.CustomerCare.Managers;
using System.Text.Json.Serialization;
using BankClientele.Contracts.CustomerCare;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BankClientele.CustomerCare.Assignment;

/// <summary>
/// What a run may move. <see cref="Unassigned"/> (the nightly run, a departure): only eligible customers
/// without a manager, or whose manager left; every other assignment stays as it is. <see cref="Rebalance"/>:
/// every eligible customer of the branch may move, continuity costs keeping them where they are.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<AssignmentMode>))]
public enum AssignmentMode
{
    Unassigned,
    Rebalance,
}

public sealed record PlannedMove(Guid CustomerId, string? CustomerNumber, string Tier, string? FromManagerId, string? ToManagerId, string Reason);

public sealed record ManagerLoad(string StaffId, string Name, ManagerStatus Status, bool Senior, int Capacity, int LoadBefore, int LoadAfter);

/// <summary>A branch's assignment: what moves and why, the loads before and after, and how far the cost is from the flow optimum.</summary>
public sealed record AssignmentPlan(
    string BranchCode,
    AssignmentMode Mode,
    int EligibleCustomers,
    int Unassigned,
    long Cost,
    long LowerBound,
    double CostGap,
    IReadOnlyList<ManagerLoad> Managers,
    IReadOnlyList<PlannedMove> Moves);

/// <summary>Plans a branch's assignment with <see cref="AssignmentSolver"/> and applies it with history and events.</summary>
public sealed class AssignmentService(CustomerCareDbContext db, IOptions<AssignmentOptions> options, TimeProvider time)
{
    private readonly AssignmentOptions settings = options.Value;

    /// <summary>The plan as it stands now, without changing anything (the preview).</summary>
    public Task<AssignmentPlan> PlanAsync(string branchCode, AssignmentMode mode, CancellationToken ct) =>
        BuildPlanAsync(branchCode, mode, ct);

    /// <summary>Plans and applies in one transaction, the branch's managers locked against a concurrent run or conversion.</summary>
    public async Task<AssignmentPlan> ApplyAsync(string branchCode, AssignmentMode mode, string changedBy, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await LockBranchAsync(branchCode, ct);
        var plan = await BuildPlanAsync(branchCode, mode, ct);
        var now = time.GetUtcNow();
        foreach (var chunk in plan.Moves.Chunk(1000))
        {
            var ids = chunk.Select(m => m.CustomerId).ToList();
            var customers = await db.Customers.Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
            foreach (var move in chunk)
            {
                var customer = customers[move.CustomerId];
                customer.RelationshipManagerId = move.ToManagerId;
                customer.AssignmentVersion++;
                db.AssignmentChanges.Add(new AssignmentChange
                {
                    Id = Guid.CreateVersion7(),
                    CustomerId = move.CustomerId,
                    BranchCode = branchCode,
                    FromManagerId = move.FromManagerId,
                    ToManagerId = move.ToManagerId,
                    Reason = move.Reason,
                    ChangedBy = changedBy,
                    ChangedAt = now,
                });
                if (move.ToManagerId is not null)
                {
                    db.Publish(new RelationshipManagerAssigned(move.CustomerId, move.ToManagerId, branchCode, now, move.FromManagerId, move.Reason, customer.AssignmentVersion));
                }
                else if (move.FromManagerId is not null)
                {
                    db.Publish(new RelationshipManagerUnassigned(move.CustomerId, branchCode, move.FromManagerId, move.Reason, now, customer.AssignmentVersion));
                }
            }
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
        await transaction.CommitAsync(ct);
        return plan;
    }

    /// <summary>Row locks on the branch's managers: runs, reassignments and the picker of one branch take turns.</summary>
    public async Task<List<RelationshipManager>> LockBranchAsync(string branchCode, CancellationToken ct) =>
        await db.RelationshipManagers
            .FromSql($"SELECT * FROM relationship_managers WHERE branch_code = {branchCode} ORDER BY staff_id FOR UPDATE")
            .ToListAsync(ct);

    /// <summary>Managers' loads in weighted units (each customer weighs their tier's weight).</summary>
    public async Task<Dictionary<string, int>> LoadsAsync(IReadOnlyCollection<string> staffIds, CancellationToken ct)
    {
        var counts = await db.Customers.AsNoTracking()
            .Where(c => c.RelationshipManagerId != null && staffIds.Contains(c.RelationshipManagerId))
            .GroupBy(c => new { StaffId = c.RelationshipManagerId!, c.Tier })
            .Select(g => new { g.Key.StaffId, g.Key.Tier, Count = g.Count() })
            .ToListAsync(ct);
        return counts.GroupBy(x => x.StaffId).ToDictionary(g => g.Key, g => g.Sum(x => x.Count * settings.WeightOf(x.Tier)));
    }

    public int WeightOf(string tier) => settings.WeightOf(tier);

    private async Task<AssignmentPlan> BuildPlanAsync(string branchCode, AssignmentMode mode, CancellationToken ct)
    {
        var managers = await db.RelationshipManagers.AsNoTracking().Where(m => m.BranchCode == branchCode)
            .OrderBy(m => m.StaffId).ToListAsync(ct);
        var index = managers.Select((m, i) => (m.StaffId, i)).ToDictionary(x => x.StaffId, x => x.i);
        var rows = await db.Customers.AsNoTracking().Where(c => c.BranchCode == branchCode)
            .OrderBy(c => c.Id)
            .Select(c => new { c.Id, c.CustomerNumber, c.Tier, c.AverageAssets, c.RelationshipManagerId })
            .ToListAsync(ct);

        var fixedLoad = new int[managers.Count];
        var loadBefore = new int[managers.Count];
        var movable = rows.Take(0).ToList();
        var solverCustomers = new List<SolverCustomer>();
        foreach (var row in rows)
        {
            var weight = settings.WeightOf(row.Tier);
            var current = row.RelationshipManagerId is { } id && index.TryGetValue(id, out var j) ? j : -1;
            if (current >= 0)
            {
                loadBefore[current] += weight;
            }
            var managerGone = current < 0 || managers[current].Status == ManagerStatus.Inactive;
            // Eligible customers per the mode; anyone whose manager left keeps being served.
            var isMovable = (settings.IsEligible(row.Tier) && (mode == AssignmentMode.Rebalance || managerGone))
                || (managerGone && row.RelationshipManagerId is not null);
            if (!isMovable)
            {
                if (current >= 0)
                {
                    fixedLoad[current] += weight;
                }
                continue;
            }
            movable.Add(row);
            solverCustomers.Add(new SolverCustomer(weight, settings.PrefersSenior(row.Tier), current, row.AverageAssets));
        }

        var solverManagers = managers.Select((m, j) => new SolverManager(m.StaffId, m.Capacity, m.Status, m.Senior, fixedLoad[j])).ToList();
        var solution = AssignmentSolver.Solve(solverManagers, solverCustomers, settings.Costs);

        var moves = new List<PlannedMove>();
        for (var i = 0; i < movable.Count; i++)
        {
            var row = movable[i];
            var to = solution.ManagerOf[i] is >= 0 and var t ? managers[t].StaffId : null;
            if (to == row.RelationshipManagerId)
            {
                continue;
            }
            moves.Add(new PlannedMove(row.Id, row.CustomerNumber, row.Tier, row.RelationshipManagerId, to, ReasonFor(row.RelationshipManagerId)));
        }
        return new AssignmentPlan(
            branchCode, mode, rows.Count(r => settings.IsEligible(r.Tier)), solution.Unassigned,
            solution.Cost, solution.LowerBound, solution.CostGap,
            managers.Select((m, j) => new ManagerLoad(m.StaffId, m.Name, m.Status, m.Senior, m.Capacity, loadBefore[j], solution.Loads[j])).ToList(),
            moves);

        string ReasonFor(string? from)
        {
            if (from is null)
            {
                return AssignmentReasons.Unassigned;
            }
            if (!index.TryGetValue(from, out var j) || managers[j].Status == ManagerStatus.Inactive)
            {
                return AssignmentReasons.ManagerLeft;
            }
            return loadBefore[j] > managers[j].Capacity ? AssignmentReasons.OverCapacity : AssignmentReasons.Rebalance;
        }
    }
}
