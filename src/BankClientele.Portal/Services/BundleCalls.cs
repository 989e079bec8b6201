namespace BankClientele.Portal.Services;

// CustomerCare's bundle API as the portal reads it.

public sealed record ProductRow(string Code, string Name, string Kind, int? TermMonths, int RiskRating, decimal MinimumAmount);

public sealed record BundleRow(string Code, string Name, bool Active, ProductRow Deposit, List<ProductRow> Wealth, int MaxRiskRating, decimal MinimumAmount);

public sealed record AcceptanceRateRow(string Key, int Proposed, int Accepted, int Declined, int Expired, double? Rate);

public sealed record AcceptanceRatesRow(List<AcceptanceRateRow> ByBundle, List<AcceptanceRateRow> ByManager);

public static class BundleCalls
{
    public static Task<ServiceResult<List<ProductRow>>> ProductsAsync(this ServiceApi api, CancellationToken ct) =>
        api.GetAsync<List<ProductRow>>(ServiceNames.CustomerCare, "/api/products", ct);

    /// <summary>
    /// The catalogue's names by product code, for pages and exports that get codes from the services (holdings,
    /// openings). Empty when CustomerCare is unreachable: the code then stands in for the name.
    /// </summary>
    public static async Task<ProductNames> ProductNamesAsync(this ServiceApi api, CancellationToken ct) =>
        new((await api.ProductsAsync(ct)).Value?.ToDictionary(p => p.Code, p => p.Name, StringComparer.Ordinal) ?? []);

    public static Task<ServiceResult<List<BundleRow>>> BundlesAsync(this ServiceApi api, CancellationToken ct) =>
        api.GetAsync<List<BundleRow>>(ServiceNames.CustomerCare, "/api/bundles", ct);

    public static Task<ServiceResult<AcceptanceRatesRow>> BundleAcceptanceAsync(this ServiceApi api, CancellationToken ct) =>
        api.GetAsync<AcceptanceRatesRow>(ServiceNames.CustomerCare, "/api/bundles/acceptance", ct);
}

/// <summary>Product codes worded as the catalogue names them ("一年期定期存款 · TD-1Y"); a code the catalogue lacks shows as it is.</summary>
public sealed record ProductNames(IReadOnlyDictionary<string, string> ByCode)
{
    public static readonly ProductNames None = new(new Dictionary<string, string>());

    public string Name(string code) => ByCode.TryGetValue(code, out var name) ? name : code;

    public string NameAndCode(string code) => ByCode.TryGetValue(code, out var name) ? $"{name} · {code}" : code;
}
