using System.Text.Json;

namespace BankClientele.Portal.Services;

// CustomerCare's assignment API as the portal reads it.

public sealed record ManagerBookRow(string StaffId, string Name, string BranchCode, string Status, bool Senior, int Capacity, int Load, int Customers, decimal Assets);

public sealed record PlannedMoveRow(Guid CustomerId, string? CustomerNumber, string Tier, string? FromManagerId, string? ToManagerId, string Reason);

public sealed record ManagerLoadRow(string StaffId, string Name, string Status, bool Senior, int Capacity, int LoadBefore, int LoadAfter);

public sealed record AssignmentPlanRow(string BranchCode, string Mode, int EligibleCustomers, int Unassigned, long Cost, long LowerBound, double CostGap,
    List<ManagerLoadRow> Managers, List<PlannedMoveRow> Moves);

public sealed record AssignmentChangeRow(Guid Id, Guid CustomerId, string BranchCode, string? FromManagerId, string? ToManagerId, string Reason, string? Note, string ChangedBy, DateTimeOffset ChangedAt);

public static class AssignmentCalls
{
    public static Task<ServiceResult<List<ManagerBookRow>>> ManagerBooksAsync(this ServiceApi api, string? branchCode, CancellationToken ct) =>
        api.GetAsync<List<ManagerBookRow>>(ServiceNames.CustomerCare,
            branchCode is null ? "/api/assignment/books" : $"/api/assignment/books?branchCode={Uri.EscapeDataString(branchCode)}", ct);

    public static Task<ServiceResult<AssignmentPlanRow>> AssignmentPreviewAsync(this ServiceApi api, string branchCode, CancellationToken ct) =>
        api.GetAsync<AssignmentPlanRow>(ServiceNames.CustomerCare, $"/api/assignment/preview?branchCode={Uri.EscapeDataString(branchCode)}", ct);

    public static Task<ServiceResult<AssignmentPlanRow>> ApplyAssignmentAsync(this ServiceApi api, string branchCode, CancellationToken ct) =>
        api.SendAsync<AssignmentPlanRow>(ServiceNames.CustomerCare, HttpMethod.Post, $"/api/assignment/apply?branchCode={Uri.EscapeDataString(branchCode)}", null, ct);

    public static Task<ServiceResult<AssignmentChangeRow>> ReassignAsync(this ServiceApi api, Guid customerId, string managerId, string reason, CancellationToken ct) =>
        api.SendAsync<AssignmentChangeRow>(ServiceNames.CustomerCare, HttpMethod.Post, $"/api/customers/{customerId}/reassignment",
            new { relationshipManagerId = managerId, reason }, ct);

    /// <summary>A refusal as a person reads it: the problem's title and detail (or its field errors), not its JSON.</summary>
    public static string ProblemText(string problem)
    {
        var start = problem.IndexOf('{', StringComparison.Ordinal);
        if (start < 0)
        {
            return problem;
        }
        try
        {
            using var json = JsonDocument.Parse(problem[start..]);
            var root = json.RootElement;
            // A refusal the services give a code (held out of a campaign, say) is worded by the portal, in the reader's language.
            if (root.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String
                && Localization.Text.Word("Problem.", code.GetString()) is var worded && worded != code.GetString())
            {
                return string.Format(System.Globalization.CultureInfo.CurrentCulture, worded,
                    root.TryGetProperty("campaignCode", out var campaign) ? campaign.GetString() : "");
            }
            var parts = new List<string>();
            if (root.TryGetProperty("title", out var title))
            {
                parts.Add(title.GetString() ?? "");
            }
            if (root.TryGetProperty("detail", out var detail))
            {
                parts.Add(detail.GetString() ?? "");
            }
            if (root.TryGetProperty("errors", out var errors))
            {
                parts.AddRange(errors.EnumerateObject().Select(e => $"{e.Name}: {string.Join(" ", e.Value.EnumerateArray().Select(v => v.GetString()))}"));
            }
            return string.Join(" — ", parts.Where(p => p.Length > 0));
        }
        catch (JsonException)
        {
            return problem;
        }
    }
}
