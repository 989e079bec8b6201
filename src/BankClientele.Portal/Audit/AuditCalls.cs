using System.Globalization;
using BankClientele.Portal.Exports;
using BankClientele.Portal.Services;
using static BankClientele.Portal.Localization.Text;

namespace BankClientele.Portal.Audit;

/// <summary>One audited action as a service reports it (Hosting's AuditEntry): its English text, and the same as codes and values.</summary>
public sealed record AuditRow(DateTimeOffset At, string StaffId, string Kind, string? BranchCode, string Subject, string Detail,
    string? SubjectType = null, string? SubjectId = null, Dictionary<string, string?>? Values = null)
{
    /// <summary>What the action was on, in the reader's language: "客户 6222…", "排班 SH001".</summary>
    public string SubjectText => SubjectType is null ? Subject : $"{Word("Audit.Subject.", SubjectType)} {SubjectId}";

    /// <summary>The detail in the reader's language, worded from the service's codes and values.</summary>
    public string DetailText => (Kind, Values) switch
    {
        (_, null) => Detail,
        ("unmask", var v) => Format("Audit.Detail.unmask",
            string.Join(T("Audit.Separator"), (Value(v, "fields") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(f => Word("Audit.Field.", f))),
            Value(v, "reason")),
        ("assignment", var v) => Format("Audit.Detail.assignment", Value(v, "from") ?? "—", Value(v, "to") ?? "—", Word("Assign.Reason.", Value(v, "reason")))
            + (Value(v, "note") is { } note ? Format("Audit.Detail.Note", note) : ""),
        ("roster", var v) => Format("Audit.Detail.roster", Value(v, "slots"), Value(v, "counterHours"), Value(v, "greeterHours")),
        _ => Detail,
    };

    private static string? Value(Dictionary<string, string?> values, string name) => values.GetValueOrDefault(name);

    private static string Format(string key, params object?[] values) => string.Format(CultureInfo.CurrentCulture, T(key), values);
}

/// <summary>The audit log's filters as the page's address carries them.</summary>
public sealed record AuditQuery(string? StaffId, string? Kind, DateOnly? From, DateOnly? To, string? BranchCode)
{
    public static readonly string[] Kinds = ["unmask", "assignment", "roster"];

    public static AuditQuery Of(IQueryCollection query) => new(
        Text(query, "staffId"), Text(query, "kind"), Date(query, "from"), Date(query, "to"), Text(query, "branchCode"));

    /// <summary>The query string (with "?", or empty) the services and the export links take.</summary>
    public string QueryString()
    {
        var parts = new[]
        {
            StaffId is { } s ? "staffId=" + Uri.EscapeDataString(s) : null,
            Kind is { } k ? "kind=" + Uri.EscapeDataString(k) : null,
            From is { } f ? $"from={f:yyyy-MM-dd}" : null,
            To is { } t ? $"to={t:yyyy-MM-dd}" : null,
            BranchCode is { } b ? "branchCode=" + Uri.EscapeDataString(b) : null,
        }.Where(p => p is not null).ToList();
        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }

    private static string? Text(IQueryCollection query, string name) => query[name].ToString() is { Length: > 0 } v ? v.Trim() : null;

    private static DateOnly? Date(IQueryCollection query, string name) =>
        DateOnly.TryParseExact(query[name].ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
}

public static class AuditCalls
{
    /// <summary>The services that keep audited actions: unmasked views (CustomerCare, Acquisition), assignments (CustomerCare), rosters (FootTraffic).</summary>
    private static readonly string[] Keepers = [ServiceNames.CustomerCare, ServiceNames.Acquisition, ServiceNames.FootTraffic];

    /// <summary>
    /// Every keeper's entries, merged newest first, as the signed-in user (each service scopes them:
    /// a lead their branch, a region head their region, head office all). The first refusal or
    /// outage is returned beside what the others answered.
    /// </summary>
    public static async Task<(List<AuditRow> Rows, ServiceResult<List<AuditRow>>? Failed)> AuditAsync(this ServiceApi api, AuditQuery query, CancellationToken ct)
    {
        var answers = await Task.WhenAll(Keepers.Select(s => api.GetAsync<List<AuditRow>>(s, "/api/audit" + query.QueryString(), ct)));
        var rows = answers.Where(a => a.Ok).SelectMany(a => a.Value!).OrderByDescending(r => r.At).ToList();
        return (rows, answers.FirstOrDefault(a => !a.Ok));
    }

    public static async Task<ExportTable> ExportAsync(ServiceApi api, IQueryCollection query, CancellationToken ct)
    {
        var (rows, failed) = await api.AuditAsync(AuditQuery.Of(query), ct);
        return new ExportTable("audit-log", [T("Audit.At"), T("Audit.Staff"), T("Audit.Kind"), T("Audit.Branch"), T("Audit.Subject"), T("Audit.Detail")],
            rows.Select(r => new object?[] { Time(r.At), r.StaffId, T("Audit.Kind." + r.Kind), r.BranchCode, r.SubjectText, r.DetailText }), failed?.Problem);
    }
}
