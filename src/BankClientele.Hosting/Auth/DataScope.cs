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
/// head office and administrators everything. Every query of staff-facing data goes through it.
/// </summary>
public sealed record DataScope(string Role, string StaffId, string? BranchCode)
{
    public bool SeesAll => Role is StaffRoles.HeadOffice or StaffRoles.Administrator;

    public static DataScope Of(ClaimsPrincipal user) =>
        StaffTokenIssuer.FromPrincipal(user) is { } staff
            ? new DataScope(staff.Role, staff.StaffId, staff.BranchCode)
            : throw new UnauthorizedAccessException("The caller is not a signed-in staff member.");

    public bool CanSeeBranch(string branchCode) => SeesAll || BranchCode == branchCode;

    /// <summary>Rows of branches the caller may see (relationship managers see their own branch).</summary>
    public IQueryable<T> Branches<T>(IQueryable<T> query) where T : IBranchOwned
    {
        if (SeesAll)
        {
            return query;
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
