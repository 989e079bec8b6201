namespace BankClientele.Portal.Components.Pages.Insights;

/// <summary>The uplift dashboard's filters as Insights' query string (the page and its export send the same).</summary>
public static class UpliftQuery
{
    public static string Of(string? groupBy, string? from, string? to, string? baselineFrom, string? baselineTo) =>
        string.Join("&", new (string Name, string? Value)[]
            {
                ("groupBy", groupBy), ("from", from), ("to", to), ("baselineFrom", baselineFrom), ("baselineTo", baselineTo),
            }
            .Where(p => !string.IsNullOrWhiteSpace(p.Value))
            .Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}"));
}
