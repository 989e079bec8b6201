using BankClientele.Portal.Services;

namespace BankClientele.Portal.Imports;

/// <summary>
/// What the imports page can import, and the service endpoint behind each: the same endpoints, and so
/// the same import code, as the CLI's <c>bankclientele import customers|prospects|visits</c>.
/// </summary>
/// <param name="Counts">The answer's counts worth showing besides <c>rows</c>, by JSON name.</param>
/// <param name="SeeAt">The page where the imported rows show.</param>
public sealed record ImportKind(string Name, string Service, string Path, string[] Columns, string[] Counts, string SeeAt)
{
    public static readonly IReadOnlyList<ImportKind> All =
    [
        new("customers", ServiceNames.CustomerCare, "/api/feed/customers",
            ["customer_number", "full_name", "gender", "birth_date", "id_type", "id_number", "phone", "city", "district", "branch_code", "occupation", "risk_level", "risk_assessed_on", "tags"],
            ["inserted", "updated", "unchanged"], "/customers"),
        new("prospects", ServiceNames.Acquisition, "/api/prospects/import",
            ["full_name", "phone", "id_number", "branch_code", "campaign_code", "channel", "district", "age_band", "occupation", "tags", "consent_at", "consent_channel", "consent_wording"],
            ["inserted", "merged", "existingCustomers"], "/acquisition/leads"),
        new("visits", ServiceNames.FootTraffic, "/api/visits/queue-log",
            ["branch_code", "ticket_number", "service_type", "issued_at", "called_at", "counter", "service_started_at", "service_ended_at", "abandoned_at", "customer_number", "phone"],
            ["added", "updated"], "/traffic"),
    ];

    public static ImportKind? Find(string name) => All.FirstOrDefault(k => k.Name == name);
}
