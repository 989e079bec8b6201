using Microsoft.EntityFrameworkCore;

namespace BankClientele.CustomerCare.Assignment;

/// <summary>
/// Picks the manager of a branch with the most spare capacity (ties: fewest customers, then id).
/// Deliberately simple; a later assignment optimiser replaces it.
/// </summary>
public sealed class RelationshipManagerPicker(CustomerCareDbContext db)
{
    public async Task<RelationshipManager?> PickAsync(string branchCode, CancellationToken ct)
    {
        // Lock the branch's managers so two conversions at once cannot both take the last slot.
        var managers = await db.RelationshipManagers
            .FromSql($"SELECT * FROM relationship_managers WHERE branch_code = {branchCode} ORDER BY staff_id FOR UPDATE")
            .ToListAsync(ct);
        if (managers.Count == 0)
        {
            return null;
        }
        var ids = managers.Select(m => m.StaffId).ToList();
        var loads = await db.Customers
            .Where(c => c.RelationshipManagerId != null && ids.Contains(c.RelationshipManagerId))
            .GroupBy(c => c.RelationshipManagerId!)
            .Select(g => new { StaffId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.StaffId, x => x.Count, ct);
        return managers
            .Select(m => (Manager: m, Load: loads.GetValueOrDefault(m.StaffId)))
            .Where(x => x.Load < x.Manager.Capacity)
            .OrderByDescending(x => x.Manager.Capacity - x.Load)
            .ThenBy(x => x.Load)
            .ThenBy(x => x.Manager.StaffId, StringComparer.Ordinal)
            .Select(x => x.Manager)
            .FirstOrDefault();
    }
}
