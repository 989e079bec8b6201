namespace BankClientele.FootTraffic;

/// <summary>
/// The problem details FootTraffic's endpoints answer with: a bad field (400) and a branch out of the caller's
/// scope (403, naming the field). Shared by every feature folder, so none borrows them from another's endpoints.
/// </summary>
internal static class TrafficProblems
{
    public static IResult Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    public static IResult OutOfScope(string branchCode, string field, string title = "Branch out of scope", string? detail = null) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: title,
            detail: detail ?? $"You may not act for branch '{branchCode}'.",
            extensions: new Dictionary<string, object?> { ["field"] = field });
}
