using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Refusals;

namespace BankClientele.Insights.Kpis;

/// <summary>
/// The branches a figure is computed for: head office any (or all, when none is asked: null), a
/// region head one of their region's or all of them, a branch lead their own only; asking for a
/// branch out of scope is a 403 naming the field, never another branch's figures.
/// </summary>
public static class ScopedBranch
{
    public static (string[]? Branches, IResult? Refused) Of(HttpContext http, string? asked)
    {
        var scope = DataScope.Of(http.User);
        var (branches, refused) = scope.Narrow(asked);
        if (refused || branches is { Count: 0 })
        {
            var yours = scope.BranchCodes is { Count: > 0 } mine ? string.Join(", ", mine) : "none";
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Branch out of scope",
                detail: $"You may see the figures of branch(es) {yours} only.",
                extensions: new Dictionary<string, object?> { ["code"] = ProblemCodes.BranchOutOfScope, ["field"] = "branchCode" }));
        }
        return (branches?.ToArray(), null);
    }
}
