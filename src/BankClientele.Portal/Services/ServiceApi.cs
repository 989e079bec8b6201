using System.Diagnostics;
using System.Security.Claims;
using BankClientele.Hosting.Auth;
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
public sealed class ServiceApi(IHttpClientFactory clients, StaffTokenIssuer issuer, ILogger<ServiceApi> logger)
{
    /// <summary>
    /// The member of staff a live component (the bell) calls as. A Blazor circuit has no request, so
    /// <see cref="StaffTokenHandler"/> finds no signed-in user there: the component sets the circuit's
    /// user (from its authentication state, i.e. the sign-in cookie the circuit was opened with) and
    /// each call carries a token for them. Null on ordinary requests, where the handler signs.
    /// </summary>
    public ClaimsPrincipal? Caller { get; set; }

    private HttpRequestMessage Request(HttpMethod method, string service, string path)
    {
        var request = new HttpRequestMessage(method, path);
        if (Caller is not null && StaffTokenIssuer.FromPrincipal(Caller) is { } staff)
        {
            request.Headers.Authorization = new("Bearer", issuer.Issue(staff, StaffAudiences.Of(service)));
        }
        return request;
    }

    public Task<ServiceResult<List<CustomerRow>>> CustomersAsync(CancellationToken ct) =>
        GetAsync<List<CustomerRow>>(ServiceNames.CustomerCare, "/api/customers", ct);

    public Task<ServiceResult<List<RelationshipManagerRow>>> RelationshipManagersAsync(CancellationToken ct) =>
        GetAsync<List<RelationshipManagerRow>>(ServiceNames.CustomerCare, "/api/relationship-managers", ct);

    public Task<ServiceResult<List<VisitRow>>> VisitsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        GetAsync<List<VisitRow>>(ServiceNames.FootTraffic,
            $"/api/visits?from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}", ct);

    public Task<ServiceResult<List<BranchStatisticsRow>>> BranchStatisticsAsync(CancellationToken ct) =>
        GetAsync<List<BranchStatisticsRow>>(ServiceNames.Insights, "/api/branch-stats", ct);

    /// <summary>
    /// Each service's readiness (<c>/health/ready</c>, anonymous) and whether it offers a jobs
    /// dashboard (<c>/hangfire</c>, which answers the administrator's token), for the status page.
    /// </summary>
    public async Task<IReadOnlyList<ServiceStatus>> StatusAsync(CancellationToken ct)
    {
        var checks = ServiceNames.All.Select(async name =>
        {
            var client = clients.CreateClient(name);
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var ready = await client.GetAsync("/health/ready", ct);
                var elapsed = Stopwatch.GetElapsedTime(started);
                var detail = $"{(int)ready.StatusCode} {await ready.Content.ReadAsStringAsync(ct)}";
                using var dashboard = await client.GetAsync("/hangfire", HttpCompletionOption.ResponseHeadersRead, ct);
                var dashboardAddress = dashboard.IsSuccessStatusCode ? new Uri(client.BaseAddress!, "/hangfire") : null;
                return new ServiceStatus(name, ready.IsSuccessStatusCode, detail, elapsed, client.BaseAddress!, dashboardAddress);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException)
            {
                logger.LogWarning(ex, "{Service} is unavailable", name);
                return new ServiceStatus(name, false, ex.Message, Stopwatch.GetElapsedTime(started), client.BaseAddress!, null);
            }
        });
        return await Task.WhenAll(checks);
    }

    /// <summary>
    /// GET a service's API as the signed-in user. Features add their calls as extension methods
    /// of this class in their own files (see <c>Services/*Calls.cs</c>).
    /// </summary>
    public async Task<ServiceResult<T>> GetAsync<T>(string service, string path, CancellationToken ct)
    {
        try
        {
            using var request = Request(HttpMethod.Get, service, path);
            using var response = await clients.CreateClient(service).SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
            {
                return await RefusedAsync<T>(service, HttpMethod.Get, path, response, ct);
            }
            return new(service, await response.Content.ReadFromJsonAsync<T>(ct), null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException)
        {
            logger.LogWarning(ex, "{Service} {Path} is unavailable", service, path);
            return new(service, default, ex.Message) { Refusal = Refusal.Unreachable };
        }
    }

    /// <summary>GET a page of a list whose service puts the number of matching rows in <c>X-Total-Count</c>.</summary>
    public async Task<(ServiceResult<T> Result, int? Total)> GetWithTotalAsync<T>(string service, string path, CancellationToken ct)
    {
        try
        {
            using var request = Request(HttpMethod.Get, service, path);
            using var response = await clients.CreateClient(service).SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
            {
                return (await RefusedAsync<T>(service, HttpMethod.Get, path, response, ct), null);
            }
            int? total = response.Headers.TryGetValues("X-Total-Count", out var values) && int.TryParse(values.FirstOrDefault(), out var n) ? n : null;
            return (new(service, await response.Content.ReadFromJsonAsync<T>(ct), null), total);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException)
        {
            logger.LogWarning(ex, "{Service} {Path} is unavailable", service, path);
            return (new(service, default, ex.Message) { Refusal = Refusal.Unreachable }, null);
        }
    }

    /// <summary>
    /// POST (or PUT, PATCH, DELETE) JSON as the signed-in user. A refusal comes back read from the service's
    /// problem details (<see cref="ServiceResult{T}.Refusal"/>), for the form to word with <see cref="Localization.RefusalWords"/>.
    /// </summary>
    public async Task<ServiceResult<TResponse>> SendAsync<TResponse>(
        string service, HttpMethod method, string path, object? body, CancellationToken ct)
    {
        try
        {
            using var request = Request(method, service, path);
            if (body is not null)
            {
                request.Content = JsonContent.Create(body, body.GetType());
            }
            using var response = await clients.CreateClient(service).SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
            {
                return await RefusedAsync<TResponse>(service, method, path, response, ct);
            }
            var value = response.Content.Headers.ContentLength == 0 || typeof(TResponse) == typeof(object)
                ? default
                : await response.Content.ReadFromJsonAsync<TResponse>(ct);
            return new(service, value, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException)
        {
            logger.LogWarning(ex, "{Service} {Method} {Path} is unavailable", service, method, path);
            return new(service, default, ex.Message) { Refusal = Refusal.Unreachable };
        }
    }

    /// <summary>
    /// A refusal: its problem details go to the log (the service's English, which a Chinese page never shows) and
    /// are read into a <see cref="Refusal"/>; <see cref="ServiceResult{T}.Problem"/> keeps the status alone.
    /// </summary>
    private async Task<ServiceResult<T>> RefusedAsync<T>(string service, HttpMethod method, string path, HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        var status = (int)response.StatusCode;
        logger.LogWarning("{Service} {Method} {Path} answered {Status}: {Problem}", service, method, path, status, body.Length > 2000 ? body[..2000] : body);
        return new(service, default, $"{status} {response.ReasonPhrase}") { Refusal = Refusal.Read(status, body) };
    }
}
