using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using BankClientele.Hosting.Refusals;

namespace BankClientele.Portal.Services;

/// <summary>
/// A field a service refused: the line of an import's file it is on (the header is line 1), its name as the service
/// gives it, the reason's code where the service gives one (<see cref="FieldReasons"/>), its English message, and the
/// numbers the reason names (<c>errorArguments</c>: a maximum length, a range's bounds).
/// </summary>
public sealed record FieldRefusal(int? Line, string Field, string? Code, string Message)
{
    public IReadOnlyDictionary<string, decimal> Numbers { get; init; } = Refusal.NoNumbers;
}

/// <summary>
/// A service's refusal as the portal reads it (RFC 7807 problem details): the status (null when the service could
/// not be reached), its <see cref="ProblemCodes"/> code, its English detail (for English readers and the log), the
/// fields at fault, the problem's other string extensions (such as <c>campaignCode</c>) and its number extensions
/// (such as a manager's <c>capacity</c>) that its words name. <see cref="Localization.RefusalWords"/> words it in the
/// reader's language.
/// </summary>
public sealed partial record Refusal(int? Status, string? Code, string? Detail, IReadOnlyList<FieldRefusal> Fields, IReadOnlyDictionary<string, string> Arguments)
{
    public static IReadOnlyDictionary<string, decimal> NoNumbers { get; } = new Dictionary<string, decimal>();

    /// <summary>The problem's number extensions (<c>status</c> aside), by name.</summary>
    public IReadOnlyDictionary<string, decimal> Numbers { get; init; } = NoNumbers;

    public static Refusal Unreachable { get; } = new(null, null, null, [], new Dictionary<string, string>());

    public static Refusal OfStatus(int status) => new(status, null, null, [], new Dictionary<string, string>());

    /// <summary>A refusal a service names in an answer rather than as a problem (a what-if's): its code and English detail.</summary>
    public static Refusal Coded(int status, string? code, string? detail) => new(status, code, detail, [], new Dictionary<string, string>());

    /// <summary>
    /// Reads a problem's JSON. <c>errors</c> is either field → messages (with <c>errorCodes</c>, the same keys → codes,
    /// and <c>errorArguments</c>, the same keys → each message's numbers, where the service gives them; an import's keys
    /// read "line 12: phone") or a list of {line, field, code, message, arguments} (arguments: the message's numbers).
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
            var arguments = root.TryGetProperty("errorArguments", out var a) && a.ValueKind == JsonValueKind.Object ? a : default;
            foreach (var entry in errors.EnumerateObject().Where(e => e.Value.ValueKind == JsonValueKind.Array))
            {
                var reasons = Entries(codes, entry.Name).Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() : null).ToList();
                var numbers = Entries(arguments, entry.Name).Select(e => NumbersOf(e)).ToList();
                var key = LineAndField().Match(entry.Name);
                var (line, field) = key.Success ? (int.Parse(key.Groups[1].Value, CultureInfo.InvariantCulture), key.Groups[2].Value) : ((int?)null, entry.Name);
                fields.AddRange(entry.Value.EnumerateArray().Select((m, i) => new FieldRefusal(line, field, i < reasons.Count ? reasons[i] : null, m.GetString() ?? "")
                {
                    Numbers = i < numbers.Count ? numbers[i] : NoNumbers,
                }));
            }
        }
        else if (errors.ValueKind == JsonValueKind.Array)
        {
            fields.AddRange(errors.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object)
                .Select(e => new FieldRefusal(e.TryGetProperty("line", out var l) && l.TryGetInt32(out var n) ? n : null,
                    String(e, "field") ?? "", String(e, "code"), String(e, "message") ?? "")
                {
                    Numbers = e.TryGetProperty("arguments", out var numbers) ? NumbersOf(numbers) : NoNumbers,
                }));
        }
        var strings = root.EnumerateObject()
            .Where(p => p.Value.ValueKind == JsonValueKind.String && p.Name is not ("type" or "title" or "detail" or "instance" or "code" or "traceId"))
            .ToDictionary(p => p.Name, p => p.Value.GetString()!);
        return new Refusal(status, String(root, "code"), String(root, "detail") ?? String(root, "title"), fields, strings)
        {
            Numbers = NumbersOf(root, except: "status"),
        };
    }

    /// <summary>A map's entry for the key, as a list (none when the map or the entry is missing).</summary>
    private static IEnumerable<JsonElement> Entries(JsonElement map, string key) =>
        map.ValueKind == JsonValueKind.Object && map.TryGetProperty(key, out var entry) && entry.ValueKind == JsonValueKind.Array ? entry.EnumerateArray() : [];

    /// <summary>An object's number properties by name (none for anything else).</summary>
    private static IReadOnlyDictionary<string, decimal> NumbersOf(JsonElement e, string? except = null)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            return NoNumbers;
        }
        var numbers = new Dictionary<string, decimal>();
        foreach (var p in e.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number && p.Name != except))
        {
            if (p.Value.TryGetDecimal(out var n))
            {
                numbers[p.Name] = n;
            }
        }
        return numbers.Count == 0 ? NoNumbers : numbers;
    }

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    [GeneratedRegex(@"^line (\d+): (.+)$")]
    private static partial Regex LineAndField();
}
