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

    public static Task<ServiceResult<List<BundleRow>>> BundlesAsync(this ServiceApi api, CancellationToken ct) =>
        api.GetAsync<List<BundleRow>>(ServiceNames.CustomerCare, "/api/bundles", ct);

    public static Task<ServiceResult<AcceptanceRatesRow>> BundleAcceptanceAsync(this ServiceApi api, CancellationToken ct) =>
        api.GetAsync<AcceptanceRatesRow>(ServiceNames.CustomerCare, "/api/bundles/acceptance", ct);
}
