using BankClientele.CustomerCare.Book;
using BankClientele.CustomerCare.Managers;
using Microsoft.Extensions.Options;

namespace BankClientele.CustomerCare.Assignment;

/// <summary>
/// Places ONE new customer as they arrive (a conversion), by the rules of the full assignment: active
/// managers only, capacity in tier-weighted units never exceeded, the least utilised manager after
/// the placement (ties: the better fit for the tier, then id). Whole branches are solved by
/// <see cref="AssignmentService"/>; this avoids a solver run per conversion.
/// </summary>
public sealed class RelationshipManagerPicker(AssignmentService assignments, IOptions<AssignmentOptions> options)
{
    public Task<RelationshipManager?> PickAsync(string branchCode, CancellationToken ct) =>
        PickAsync(branchCode, CustomerTiers.Mass, ct);

    public async Task<RelationshipManager?> PickAsync(string branchCode, string tier, CancellationToken ct)
    {
        // Locked so two conversions at once cannot both take the last units of a manager.
        var managers = (await assignments.LockBranchAsync(branchCode, ct)).Where(m => m.Status == ManagerStatus.Active).ToList();
        if (managers.Count == 0)
        {
            return null;
        }
        var weight = options.Value.WeightOf(tier);
        var loads = await assignments.LoadsAsync(managers.Select(m => m.StaffId).ToList(), ct);
        var withRoom = managers.Where(m => loads.GetValueOrDefault(m.StaffId) + weight <= m.Capacity).ToList();
        var senior = options.Value.PrefersSenior(tier);
        return withRoom
            .OrderBy(m => (double)(loads.GetValueOrDefault(m.StaffId) + weight) / m.Capacity)
            .ThenBy(m => m.Senior == senior ? 0 : 1)
            .ThenBy(m => m.StaffId, StringComparer.Ordinal)
            .FirstOrDefault();
    }
}
