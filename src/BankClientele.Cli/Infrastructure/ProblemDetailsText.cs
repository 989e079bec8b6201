using System.Text;
using System.Text.Json;

namespace BankClientele.Cli.Infrastructure;

/// <summary>Renders an error response (RFC 7807 problem details, validation errors included) as readable lines.</summary>
public static class ProblemDetailsText
{
    private const int MaxRawBody = 500;

    public static string Format(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return "";
        }
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Raw(body);
            }
            var root = json.RootElement;
            var text = new StringBuilder();
            var title = String(root, "title");
            var detail = String(root, "detail");
            text.Append(title);
            if (detail is not null && detail != title)
            {
                text.Append(text.Length > 0 ? ": " : "").Append(detail);
            }
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in errors.EnumerateObject())
                {
                    var messages = field.Value.ValueKind == JsonValueKind.Array
                        ? field.Value.EnumerateArray().Select(m => m.ToString())
                        : [field.Value.ToString()];
                    foreach (var message in messages)
                    {
                        text.AppendLine().Append("  ").Append(field.Name).Append(": ").Append(message);
                    }
                }
            }
            return text.Length > 0 ? text.ToString() : Raw(body);
        }
        catch (JsonException)
        {
            return Raw(body);
        }
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Raw(string body)
    {
        var trimmed = body.Trim();
        return trimmed.Length <= MaxRawBody ? trimmed : trimmed[..MaxRawBody] + "…";
    }
}
