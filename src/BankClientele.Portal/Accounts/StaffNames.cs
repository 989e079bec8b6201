using Microsoft.EntityFrameworkCore;

namespace BankClientele.Portal.Accounts;

/// <summary>The names the portal knows staff by: services answer with staff ids, people read names.</summary>
public static class StaffNames
{
    public static async Task<Dictionary<string, string>> OfAsync(PortalDbContext db, IEnumerable<string> staffIds, CancellationToken ct)
    {
        var ids = staffIds.Where(id => id.Length > 0).Distinct().ToList();
        return await db.Users.AsNoTracking().Where(u => ids.Contains(u.StaffId))
            .GroupBy(u => u.StaffId).Select(g => new { StaffId = g.Key, Name = g.Min(u => u.DisplayName)! })
            .ToDictionaryAsync(u => u.StaffId, u => u.Name, ct);
    }

    /// <summary>"Name (id)" when the portal knows the person, the id alone otherwise (a service account, a departed greeter).</summary>
    public static string Label(this Dictionary<string, string> names, string staffId) =>
        names.TryGetValue(staffId, out var name) ? $"{name} ({staffId})" : staffId;
}
