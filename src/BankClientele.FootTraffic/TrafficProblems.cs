using BankClientele.Hosting.Refusals;

namespace BankClientele.FootTraffic;

/// <summary>
/// The problem details FootTraffic's endpoints answer with: a bad field (400) and a branch out of the caller's
/// scope (403, naming the field). Shared by every feature folder, so none borrows them from another's endpoints.
/// </summary>
internal static class TrafficProblems
{
    /// <summary>A bad field: its <see cref="FieldReasons"/> code, English message and the numbers the reason names.</summary>
    public static IResult Invalid(string field, string code, string message, params (string Name, decimal Value)[] numbers) =>
        FieldErrors.Problem(field, code, message, numbers);

    public static IResult OutOfScope(string branchCode, string field, string title = "Branch out of scope", string? detail = null,
        string code = ProblemCodes.BranchOutOfScope) =>
        CodedProblems.Problem(StatusCodes.Status403Forbidden, code, title, detail ?? $"You may not act for branch '{branchCode}'.", field);
}
