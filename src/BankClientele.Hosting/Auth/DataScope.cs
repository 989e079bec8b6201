using System.Linq.Expressions;
using System.Security.Claims;

namespace BankClientele.Hosting.Auth;

/// <summary>Something that belongs to a branch.</summary>
public interface IBranchOwned
{
    string BranchCode { get; }
}

/// <summary>Something that belongs to a branch and is looked after by one relationship manager.</summary>
public interface IRelationshipManagerOwned : IBranchOwned
{
    string? RelationshipManagerId { get; }
}

/// <summary>
/// What a caller may see: a relationship manager their own customers, a branch lead their branch,
/// a region head the branches of their region (carried in the token), head office and
/// administrators everything. Every query of staff-facing data goes through it.
/// </summary>
public sealed record DataScope(string Role, string StaffId, string? BranchCode)
{
    /// <summary>A region head's branches (from the token); empty for every other role.</summary>
    public IReadOnlyList<string> RegionBranches { get; init; } = [];

    public bool SeesAll => Role is StaffRoles.HeadOffice or StaffRoles.Administrator;

    public bool IsRegionHead => Role == StaffRoles.RegionHead;

    /// <summary>The branches the caller is limited to, or null when they see every branch (a region head without branches sees none).</summary>
    public IReadOnlyList<string>? BranchCodes =>
        SeesAll ? null : IsRegionHead ? RegionBranches : BranchCode is null ? [] : [BranchCode];

    public static DataScope Of(ClaimsPrincipal user) =>
        StaffTokenIssuer.FromPrincipal(user) is { } staff
            ? new DataScope(staff.Role, staff.StaffId, staff.BranchCode) { RegionBranches = staff.RegionBranches ?? [] }
            : throw new UnauthorizedAccessException("The caller is not a signed-in staff member.");

    public bool CanSeeBranch(string branchCode) =>
        SeesAll || (IsRegionHead ? RegionBranches.Contains(branchCode, StringComparer.Ordinal) : BranchCode == branchCode);

    /// <summary>
    /// The branches a figure asked with an optional <c>branchCode</c> covers: the one asked (when the
    /// caller may see it), else every branch the caller may see (null: all). Refused is true when
    /// the branch asked is out of scope (answer 403 naming branchCode).
    /// </summary>
    public (IReadOnlyList<string>? Branches, bool Refused) Narrow(string? asked)
    {
        var branch = string.IsNullOrWhiteSpace(asked) ? null : asked.Trim();
        if (branch is null)
        {
            return (BranchCodes, false);
        }
        return CanSeeBranch(branch) ? ([branch], false) : (null, true);
    }

    /// <summary>Rows of branches the caller may see (relationship managers see their own branch, region heads their region's).</summary>
    public IQueryable<T> Branches<T>(IQueryable<T> query) where T : IBranchOwned
    {
        if (SeesAll)
        {
            return query;
        }
        if (IsRegionHead)
        {
            var codes = RegionBranches.ToArray();
            return query.Where(Expr<T>(x => codes.Contains(x.BranchCode)));
        }
        var branch = BranchCode;
        return query.Where(Expr<T>(x => x.BranchCode == branch));
    }

    /// <summary>Rows the caller may see: own customers for a relationship manager.</summary>
    public IQueryable<T> Customers<T>(IQueryable<T> query) where T : IRelationshipManagerOwned
    {
        if (Role == StaffRoles.RelationshipManager)
        {
            var staffId = StaffId;
            return query.Where(Expr<T>(x => x.RelationshipManagerId == staffId));
        }
        return Branches(query);
    }

    // Keeps the lambda an expression tree over T (so EF translates it to SQL).
    private static Expression<Func<T, bool>> Expr<T>(Expression<Func<T, bool>> predicate) => predicate;
}

public static class DataScopeExtensions
{
    public static IQueryable<T> VisibleTo<T>(this IQueryable<T> query, DataScope scope) where T : IRelationshipManagerOwned =>
        scope.Customers(query);

    public static IQueryable<T> InBranchesOf<T>(this IQueryable<T> query, DataScope scope) where T : IBranchOwned =>
        scope.Branches(query);
}
