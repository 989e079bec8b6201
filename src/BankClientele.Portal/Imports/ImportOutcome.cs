using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace BankClientele.Portal.Imports;

/// <summary>A bad field of a row, by line (the header is line 1) and column.</summary>
public sealed record ImportProblem(int Line, string Field, string Message);

/// <summary>
/// A service's answer to an import or a dry run, read into one shape for the page: the three services
/// answer in their own words (counts by name; bad rows as <c>errors</c> keyed "line N: field" from
/// customer-care, as a list of {line, field, message} from the others).
/// </summary>
public sealed partial record ImportOutcome(string Kind, bool DryRun, int Status)
{
    public int Rows { get; init; }
    public IReadOnlyList<(string Name, long Value)> Counts { get; init; } = [];
    public IReadOnlyList<string> Columns { get; init; } = [];
    public IReadOnlyList<(int Line, IReadOnlyDictionary<string, string?> Fields)> Preview { get; init; } = [];
    public IReadOnlyList<ImportProblem> Problems { get; init; } = [];
    public int ProblemCount { get; init; }
    /// <summary>A refusal not about rows (out of scope, too large, a service down): its title and detail.</summary>
    public string? Refusal { get; init; }

    public bool Succeeded => Status is >= 200 and < 300;

    public static ImportOutcome Unavailable(ImportKind kind, bool dryRun, string message) => new(kind.Name, dryRun, 503) { Refusal = message };

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
            return outcome with { Refusal = body.Length > 300 ? body[..300] : body };
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            return outcome with { Refusal = $"{status}" };
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
        var problems = new List<ImportProblem>();
        if (root.TryGetProperty("errors", out var errors))
        {
            if (errors.ValueKind == JsonValueKind.Array)
            {
                problems.AddRange(errors.EnumerateArray().Select(e => new ImportProblem(Int(e, "line"), Str(e, "field"), Str(e, "message"))));
            }
            else if (errors.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in errors.EnumerateObject())
                {
                    var key = LineAndField().Match(entry.Name);
                    var (line, field) = key.Success ? (int.Parse(key.Groups[1].Value, CultureInfo.InvariantCulture), key.Groups[2].Value) : (0, entry.Name);
                    problems.AddRange(entry.Value.EnumerateArray().Select(m => new ImportProblem(line, field, m.GetString() ?? "")));
                }
            }
        }
        var count = Int(root, "errorCount") is > 0 and var n ? n : Int(root, "badRows");
        return outcome with
        {
            Problems = problems.OrderBy(p => p.Line).ToList(),
            ProblemCount = Math.Max(count, problems.Count),
            Refusal = problems.Count == 0 ? string.Join(" ", new[] { Str(root, "title"), Str(root, "detail") }.Where(s => s.Length > 0)) : null,
        };
    }

    private static int Int(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : 0;

    private static string Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : "";

    [GeneratedRegex(@"^line (\d+): (.+)$")]
    private static partial Regex LineAndField();
}
