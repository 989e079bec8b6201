using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using BankClientele.Hosting.Refusals;

namespace BankClientele.Portal.Services;

/// <summary>
/// A field a service refused: the line of an import's file it is on (the header is line 1), its name as the service
/// gives it, the reason's code where the service gives one (<see cref="FieldReasons"/>), and its English message.
/// </summary>
public sealed record FieldRefusal(int? Line, string Field, string? Code, string Message);

/// <summary>
/// A service's refusal as the portal reads it (RFC 7807 problem details): the status (null when the service could
/// not be reached), its <see cref="ProblemCodes"/> code, its English detail (for English readers and the log), the
/// fields at fault, and the problem's other string extensions (such as <c>campaignCode</c>) that its words name.
/// <see cref="Localization.RefusalWords"/> words it in the reader's language.
/// </summary>
public sealed partial record Refusal(int? Status, string? Code, string? Detail, IReadOnlyList<FieldRefusal> Fields, IReadOnlyDictionary<string, string> Arguments)
{
    public static Refusal Unreachable { get; } = new(null, null, null, [], new Dictionary<string, string>());

    public static Refusal OfStatus(int status) => new(status, null, null, [], new Dictionary<string, string>());

    /// <summary>A refusal a service names in an answer rather than as a problem (a what-if's): its code and English detail.</summary>
    public static Refusal Coded(int status, string? code, string? detail) => new(status, code, detail, [], new Dictionary<string, string>());

    /// <summary>
    /// Reads a problem's JSON. <c>errors</c> is either field → messages (with <c>errorCodes</c>, the same keys → codes,
    /// where the service gives them; an import's keys read "line 12: phone") or a list of {line, field, code, message}.
    /// </summary>
    public static Refusal Read(int status, string body)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(body.Length == 0 ? "{}" : body).RootElement;
        }
        catch (JsonException)
        {
            return OfStatus(status);
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            return OfStatus(status);
        }
        var fields = new List<FieldRefusal>();
        if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
        {
            var codes = root.TryGetProperty("errorCodes", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
            foreach (var entry in errors.EnumerateObject().Where(e => e.Value.ValueKind == JsonValueKind.Array))
            {
                var reasons = codes.ValueKind == JsonValueKind.Object && codes.TryGetProperty(entry.Name, out var r) && r.ValueKind == JsonValueKind.Array
                    ? r.EnumerateArray().Select(x => x.GetString()).ToList() : [];
                var key = LineAndField().Match(entry.Name);
                var (line, field) = key.Success ? (int.Parse(key.Groups[1].Value, CultureInfo.InvariantCulture), key.Groups[2].Value) : ((int?)null, entry.Name);
                fields.AddRange(entry.Value.EnumerateArray().Select((m, i) => new FieldRefusal(line, field, i < reasons.Count ? reasons[i] : null, m.GetString() ?? "")));
            }
        }
        else if (errors.ValueKind == JsonValueKind.Array)
        {
            fields.AddRange(errors.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object)
                .Select(e => new FieldRefusal(e.TryGetProperty("line", out var l) && l.TryGetInt32(out var n) ? n : null,
                    String(e, "field") ?? "", String(e, "code"), String(e, "message") ?? "")));
        }
        var arguments = root.EnumerateObject()
            .Where(p => p.Value.ValueKind == JsonValueKind.String && p.Name is not ("type" or "title" or "detail" or "instance" or "code" or "traceId"))
            .ToDictionary(p => p.Name, p => p.Value.GetString()!);
        return new Refusal(status, String(root, "code"), String(root, "detail") ?? String(root, "title"), fields, arguments);
    }

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    [GeneratedRegex(@"^line (\d+): (.+)$")]
    private static partial Regex LineAndField();
}
