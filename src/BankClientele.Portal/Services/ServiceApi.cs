using System.Net.Http.Json;

namespace BankClientele.Portal.Services;

/// <summary>The four services' names as configured under Services:*.</summary>
public static class ServiceNames
{
    public const string CustomerCare = "CustomerCare";
    public const string Acquisition = "Acquisition";
    public const string FootTraffic = "FootTraffic";
    public const string Insights = "Insights";

    public static readonly IReadOnlyList<string> All = [CustomerCare, Acquisition, FootTraffic, Insights];
}

/// <summary>
/// Calls the services as the signed-in member of staff (see <see cref="StaffTokenHandler"/>):
/// the services apply the data scope, the portal only shows what it gets.
/// </summary>
public sealed class ServiceApi(IHttpClientFactory clients, ILogger<ServiceApi> logger)
{
    public Task<ServiceResult<List<CustomerRow>>> CustomersAsync(CancellationToken ct) =>
        GetAsync<List<CustomerRow>>(ServiceNames.CustomerCare, "/api/customers", ct);

    public Task<ServiceResult<List<RelationshipManagerRow>>> RelationshipManagersAsync(CancellationToken ct) =>
        GetAsync<List<RelationshipManagerRow>>(ServiceNames.CustomerCare, "/api/relationship-managers", ct);

    public Task<ServiceResult<List<VisitRow>>> VisitsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        GetAsync<List<VisitRow>>(ServiceNames.FootTraffic,
            $"/api/visits?from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}", ct);

    public Task<ServiceResult<List<BranchStatisticsRow>>> BranchStatisticsAsync(CancellationToken ct) =>
        GetAsync<List<BranchStatisticsRow>>(ServiceNames.Insights, "/api/branch-stats", ct);

    /// <summary>Each service's readiness, unauthenticated (for the administrator's status page).</summary>
    public async Task<IReadOnlyList<(string Service, bool Ready, string Detail)>> ReadinessAsync(CancellationToken ct)
    {
        var checks = ServiceNames.All.Select(async name =>
        {
            try
            {
                using var response = await clients.CreateClient(name).GetAsync("/health/ready", ct);
                return (name, response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return (name, false, ex.Message);
            }
        });
        return await Task.WhenAll(checks);
    }

    private async Task<ServiceResult<T>> GetAsync<T>(string service, string path, CancellationToken ct)
    {
        try
        {
            using var response = await clients.CreateClient(service).GetAsync(path, ct);
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("{Service} {Path} answered {Status}", service, path, (int)response.StatusCode);
                return new(default, $"{service}: {(int)response.StatusCode} {response.ReasonPhrase}");
            }
            return new(await response.Content.ReadFromJsonAsync<T>(ct), null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException)
        {
            logger.LogWarning(ex, "{Service} {Path} is unavailable", service, path);
            return new(default, $"{service}: {ex.Message}");
        }
    }
}
