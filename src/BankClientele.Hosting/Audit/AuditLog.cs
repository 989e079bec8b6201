using System.Globalization;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Privacy;
using BankClientele.Hosting.Time;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using BankClientele.Hosting.Refusals;

namespace BankClientele.Hosting.Audit;

/// <summary>
/// One audited action: who (staff id), what kind, when, in which branch, on what, and the detail (numbers masked).
/// <see cref="Subject"/> and <see cref="Detail"/> say it in English for a reader of the API; <see cref="SubjectType"/>,
/// <see cref="SubjectId"/> and <see cref="Values"/> carry the same as codes and values, which the portal words in
/// its reader's language. Entries are made by the factories below, so both always agree.
/// </summary>
public sealed record AuditEntry(DateTimeOffset At, string StaffId, string Kind, string? BranchCode, string Subject, string Detail)
{
    /// <summary>What the action was on: customer, prospect or roster.</summary>
    public string? SubjectType { get; init; }

    /// <summary>The customer number, the prospect id, or the roster's branch code.</summary>
    public string? SubjectId { get; init; }

    /// <summary>
    /// The detail's values by name: an unmasked view's <c>fields</c> (field names, comma-separated) and <c>reason</c>;
    /// an assignment's <c>from</c>, <c>to</c>, <c>reason</c> (a code) and <c>note</c>; a roster's <c>slots</c>,
    /// <c>counterHours</c> and <c>greeterHours</c>. Free text (a reason, a note) has its numbers masked.
    /// </summary>
    public IReadOnlyDictionary<string, string?>? Values { get; init; }

    public static AuditEntry Unmask(DateTimeOffset at, string staffId, string? branchCode, string subjectType, string subjectId, string fields, string reason) =>
        new(at, staffId, AuditKinds.Unmask, branchCode, $"{subjectType} {subjectId}", AuditFilter.Reason(fields, reason))
        {
            SubjectType = subjectType, SubjectId = subjectId,
            Values = new Dictionary<string, string?> { ["fields"] = fields, ["reason"] = FreeText.MaskNumbers(reason) },
        };

    public static AuditEntry Assignment(DateTimeOffset at, string staffId, string? branchCode, string? customerNumber,
        string? fromManagerId, string? toManagerId, string reason, string? note)
    {
        var masked = FreeText.MaskNumbers(note);
        return new(at, staffId, AuditKinds.Assignment, branchCode, $"customer {customerNumber}",
            $"{fromManagerId ?? "—"} → {toManagerId ?? "—"} ({reason}){(masked is null ? "" : ": " + masked)}")
        {
            SubjectType = "customer", SubjectId = customerNumber,
            Values = new Dictionary<string, string?> { ["from"] = fromManagerId, ["to"] = toManagerId, ["reason"] = reason, ["note"] = masked },
        };
    }

    public static AuditEntry Roster(DateTimeOffset at, string staffId, string branchCode, int slots, int counterHours, int greeterHours) =>
        new(at, staffId, AuditKinds.Roster, branchCode, $"roster {branchCode}",
            $"{slots} slots, {counterHours} counter-hours, {greeterHours} greeter-hours")
        {
            SubjectType = "roster", SubjectId = branchCode,
            Values = new Dictionary<string, string?>
            {
                ["slots"] = slots.ToString(CultureInfo.InvariantCulture),
                ["counterHours"] = counterHours.ToString(CultureInfo.InvariantCulture),
                ["greeterHours"] = greeterHours.ToString(CultureInfo.InvariantCulture),
            },
        };
}

/// <summary>The kinds of audited action; each service answers those it keeps.</summary>
public static class AuditKinds
{
    /// <summary>Personal data shown unmasked (personal_data_views).</summary>
    public const string Unmask = "unmask";

    /// <summary>A customer's relationship manager changed by a person (assignment_changes, not the nightly system runs).</summary>
    public const string Assignment = "assignment";

    /// <summary>A branch's weekly roster replaced (roster_changes).</summary>
    public const string Roster = "roster";

    public static readonly IReadOnlyList<string> All = [Unmask, Assignment, Roster];
}

/// <summary>
/// GET /api/audit's filters, checked and scoped: the branches the entries may come from (a branch
/// lead their own, a region head their region's, head office all: null), a period of branch days
/// (Beijing time), a person and a kind. A branch asked outside the scope is a 403 naming branchCode.
/// </summary>
public sealed record AuditFilter(string[]? Branches, DateTimeOffset From, DateTimeOffset To, string? StaffId, string? Kind)
{
    public const int MaxRows = 2000;

    public bool Wants(string kind) => Kind is null || Kind == kind;

    public static (AuditFilter? Filter, IResult? Refused) Parse(HttpContext http, string? branchCode, DateOnly? from, DateOnly? to, string? staffId, string? kind)
    {
        var scope = DataScope.Of(http.User);
        var (branches, refused) = scope.Narrow(branchCode);
        if (refused)
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Branch out of scope",
                detail: $"You may not read the audit log of branch '{branchCode}'.", extensions: new Dictionary<string, object?> { ["code"] = ProblemCodes.BranchOutOfScope, ["field"] = "branchCode" }));
        }
        var last = to ?? BranchClock.DayOf(DateTimeOffset.UtcNow);
        var first = from ?? last.AddDays(-30);
        var errors = new FieldErrors()
            .AddIf(first > last, "from", FieldReasons.AfterEnd, "from must not be after to.")
            .AddIf(kind is not null && !AuditKinds.All.Contains(kind), "kind", FieldReasons.NotOneOf, $"kind must be one of {string.Join(", ", AuditKinds.All)}.")
            .AddIf(staffId is { Length: > 40 }, "staffId", FieldReasons.TooLong, "staffId is at most 40 characters.", ("max", 40));
        if (errors.Any)
        {
            return (null, errors.ToProblem());
        }
        // In UTC: PostgreSQL's timestamptz parameters take offset 0 only (a branch day starts at 16:00 UTC).
        return (new AuditFilter(branches?.ToArray(), BranchClock.StartOfDay(first).ToUniversalTime(), BranchClock.EndOfDay(last).ToUniversalTime(),
            string.IsNullOrWhiteSpace(staffId) ? null : staffId.Trim(), kind), null);
    }

    /// <summary>The reason typed for an unmasked view, as the log shows it: numbers masked like any free text.</summary>
    public static string Reason(string fields, string reason) => $"{fields}: {FreeText.MaskNumbers(reason)}";
}
