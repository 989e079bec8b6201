namespace BankClientele.Cli.Infrastructure;

/// <summary>
/// One of the system's processes as the operator names it (<see cref="Key"/>), as configuration
/// names it (<see cref="ConfigName"/>: <c>ConnectionStrings:X</c>, <c>Services:X</c>) and where
/// it lives by default on a developer's machine.
/// </summary>
public sealed record ServiceInfo(string Key, string ConfigName, int DefaultPort, string DatabaseName)
{
    public string DefaultConnectionString =>
        $"Host=127.0.0.1;Port=55432;Database={DatabaseName};Username=bankclientele;Password=bankclientele";

    public string DefaultBaseAddress => $"http://127.0.0.1:{DefaultPort}";

    /// <summary>The audience its staff tokens must name (each service accepts only its own).</summary>
    public string Audience => Hosting.Auth.StaffAudiences.Of(ConfigName);

    public override string ToString() => Key;
}

public static class ServiceCatalog
{
    public const string AllKey = "all";

    public static readonly ServiceInfo CustomerCare = new("customer-care", "CustomerCare", 5101, "bankclientele_customercare");
    public static readonly ServiceInfo Acquisition = new("acquisition", "Acquisition", 5102, "bankclientele_acquisition");
    public static readonly ServiceInfo FootTraffic = new("foot-traffic", "FootTraffic", 5103, "bankclientele_foottraffic");
    public static readonly ServiceInfo Insights = new("insights", "Insights", 5104, "bankclientele_insights");
    public static readonly ServiceInfo Portal = new("portal", "Portal", 5100, "bankclientele_portal");

    /// <summary>Every process, in the order the CLI works through them (the portal last).</summary>
    public static readonly IReadOnlyList<ServiceInfo> All = [CustomerCare, Acquisition, FootTraffic, Insights, Portal];

    /// <summary>What <c>--service</c> accepts: "all" or a service key.</summary>
    public static string[] SelectorValues => [AllKey, .. All.Select(s => s.Key)];

    /// <summary>The services named (in catalogue order, each once); "all" or nothing means every one.</summary>
    public static IReadOnlyList<ServiceInfo> Select(IEnumerable<string>? keys)
    {
        var wanted = (keys ?? []).Select(k => k.Trim().ToLowerInvariant()).Where(k => k.Length > 0).ToHashSet();
        if (wanted.Count == 0 || wanted.Contains(AllKey))
        {
            return All;
        }
        var unknown = wanted.Where(k => All.All(s => s.Key != k)).ToList();
        if (unknown.Count > 0)
        {
            throw new CliException($"Unknown service '{string.Join("', '", unknown)}'. Known: {string.Join(", ", SelectorValues)}.");
        }
        return All.Where(s => wanted.Contains(s.Key)).ToList();
    }
}
