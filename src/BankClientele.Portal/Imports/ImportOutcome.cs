using System.Text.Json;
using BankClientele.Portal.Localization;
using BankClientele.Portal.Services;

namespace BankClientele.Portal.Imports;

/// <summary>
/// A service's answer to an import or a dry run, read into one shape for the page: the three services
/// answer in their own words (counts by name; bad rows as <c>errors</c> keyed "line N: field" from
/// customer-care, as a list of {line, field, code, message} from the others: both read by <see cref="Refusal.Read"/>).
/// </summary>
public sealed record ImportOutcome(string Kind, bool DryRun, int Status)
{
    public int Rows { get; init; }
    public IReadOnlyList<(string Name, long Value)> Counts { get; init; } = [];
    public IReadOnlyList<string> Columns { get; init; } = [];
    public IReadOnlyList<(int Line, IReadOnlyDictionary<string, string?> Fields)> Preview { get; init; } = [];
    /// <summary>The bad fields by line, each with its reason's code for the page to word (<see cref="RefusalWords"/>).</summary>
    public IReadOnlyList<FieldRefusal> Problems { get; init; } = [];
    public int ProblemCount { get; init; }
    /// <summary>A refusal not about rows (out of scope, too large, a service down), for <see cref="RefusalWords"/> to word.</summary>
    public Refusal? Refused { get; init; }

    public bool Succeeded => Status is >= 200 and < 300;

    public static ImportOutcome Unavailable(ImportKind kind, bool dryRun) => new(kind.Name, dryRun, 503) { Refused = Refusal.Unreachable };

    /// <summary>The file refused before any service saw it (none sent, or an unreadable workbook).</summary>
    public static ImportOutcome Refusing(ImportKind kind, bool dryRun, Refusal refusal) => new(kind.Name, dryRun, refusal.Status ?? 400) { Refused = refusal };

    public static ImportOutcome Read(ImportKind kind, bool dryRun, int status, string body)
    {
        var outcome = new ImportOutcome(kind.Name, dryRun, status);
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(body.Length == 0 ? "{}" : body).RootElement;
        }
        catch (JsonException)
        {
            return outcome with { Refused = Refusal.OfStatus(status) };
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            return outcome with { Refused = Refusal.OfStatus(status) };
        }
        if (outcome.Succeeded)
        {
            return outcome with
            {
                Rows = Int(root, "rows"),
                Counts = kind.Counts.Select(name => (name, (long)Int(root, name))).ToList(),
                Columns = kind.Columns,
                Preview = root.TryGetProperty("preview", out var preview) && preview.ValueKind == JsonValueKind.Array
                    ? preview.EnumerateArray().Select(r => (Int(r, "line"), (IReadOnlyDictionary<string, string?>)r.GetProperty("fields")
                        .EnumerateObject().ToDictionary(f => f.Name, f => f.Value.ValueKind == JsonValueKind.String ? f.Value.GetString() : null))).ToList()
                    : [],
            };
        }
        var refused = Refusal.Read(status, body);
        var problems = refused.Fields.Where(f => f.Line is not null).OrderBy(f => f.Line).ToList();
        var count = Int(root, "errorCount") is > 0 and var n ? n : Int(root, "badRows");
        return outcome with
        {
            Problems = problems,
            ProblemCount = Math.Max(count, problems.Count),
            Refused = problems.Count == 0 ? refused : null,
        };
    }

    private static int Int(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : 0;

    private static string Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : "";
}
