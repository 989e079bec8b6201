using BankClientele.Hosting.Auth;

namespace BankClientele.Insights.Kpis;

/// <summary>
/// The branch a figure is computed for: head office any (or all, when none is asked), a branch lead
/// their own only; asking for another branch is a 403 naming the field, never another branch's figures.
/// </summary>
public static class ScopedBranch
{
    public static (string? Branch, IResult? Refused) Of(HttpContext http, string? asked)
    {
        var scope = DataScope.Of(http.User);
        var branch = string.IsNullOrWhiteSpace(asked) ? null : asked.Trim();
        if (scope.SeesAll)
        {
            return (branch, null);
        }
        if (scope.BranchCode is null || (branch is not null && branch != scope.BranchCode))
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Branch out of scope",
                detail: $"You may see the figures of branch '{scope.BranchCode}' only.",
                extensions: new Dictionary<string, object?> { ["field"] = "branchCode" }));
        }
        return (scope.BranchCode, null);
    }
}
