using Microsoft.EntityFrameworkCore;

namespace BankClientele.CustomerCare.Assignment;

/// <summary>
/// Nightly: every branch's unassigned eligible customers get a manager, among them customers a
/// neglect escalation sent back to the branch pool (公海: no manager) and those of managers who left.
/// </summary>
public sealed class AssignmentJob(CustomerCareDbContext db, AssignmentService assignments)
{
    public const string RecurringJobId = "customercare-nightly-assignment";

    public async Task RunAsync(CancellationToken ct)
    {
        var branches = await db.RelationshipManagers.AsNoTracking().Select(m => m.BranchCode).Distinct().OrderBy(b => b).ToListAsync(ct);
        foreach (var branch in branches)
        {
            await assignments.ApplyAsync(branch, AssignmentMode.Unassigned, "system", ct);
        }
    }
}
