using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace BankClientele.Cli.Infrastructure;

/// <summary>A service's HTTP API, as a staff member with a bearer token calls it (JSON, camelCase).</summary>
public sealed class ServiceClient : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient http;

    public ServiceClient(ServiceInfo service, Uri baseAddress, string? bearerToken, HttpMessageHandler? handler = null)
    {
        Service = service;
        http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.BaseAddress = baseAddress;
        http.Timeout = TimeSpan.FromSeconds(30);
        if (bearerToken is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }
    }

    public ServiceInfo Service { get; }

    public Uri BaseAddress => http.BaseAddress!;

    public async Task<T> GetAsync<T>(string path, CancellationToken ct)
    {
        using var response = await ExchangeAsync(HttpMethod.Get, path, body: null, ct);
        return await ReadAsync<T>(response, HttpMethod.Get, path, ct);
    }

    public async Task<T> SendAsync<T>(HttpMethod method, string path, object body, CancellationToken ct)
    {
        using var response = await ExchangeAsync(method, path, body, ct);
        return await ReadAsync<T>(response, method, path, ct);
    }

    public async Task SendAsync(HttpMethod method, string path, object body, CancellationToken ct)
    {
        using var response = await ExchangeAsync(method, path, body, ct);
    }

    private async Task<HttpResponseMessage> ExchangeAsync(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"{Service} is not reachable at {BaseAddress} ({method} {path}): {e.Messages()}", e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new CliException($"{Service} did not answer {method} {path} within {http.Timeout.TotalSeconds:0} s.", e);
        }
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw new ServiceCallException(Service, method, path, response.StatusCode, await response.Content.ReadAsStringAsync(ct));
            }
        }
        return response;
    }

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, HttpMethod method, string path, CancellationToken ct)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(Json, ct)
                ?? throw new CliException($"{Service} answered {method} {path} with an empty body.");
        }
        catch (JsonException e)
        {
            throw new CliException($"{Service} answered {method} {path} with JSON the CLI does not understand: {e.Message}", e);
        }
    }

    public void Dispose() => http.Dispose();
}

/// <summary>A service answered with an error status; the message carries its problem details.</summary>
public sealed class ServiceCallException(ServiceInfo service, HttpMethod method, string path, HttpStatusCode status, string body)
    : CliException(Describe(service, method, path, status, body))
{
    public HttpStatusCode StatusCode { get; } = status;

    private static string Describe(ServiceInfo service, HttpMethod method, string path, HttpStatusCode status, string body)
    {
        var problem = ProblemDetailsText.Format(body);
        // A bare title that only repeats the status ("Unauthorized") adds nothing.
        if (string.Equals(problem.Replace(" ", "", StringComparison.Ordinal), status.ToString(), StringComparison.OrdinalIgnoreCase))
        {
            problem = "";
        }
        var hint = status switch
        {
            HttpStatusCode.Unauthorized =>
                " (the service rejected the CLI's token: is Auth__PrivateKey the portal's, the pair of the services' Auth__PublicKey?)",
            HttpStatusCode.NotFound when problem.Length == 0 =>
                " (no such endpoint: is the service at that address the right one, and up to date?)",
            _ => "",
        };
        return $"{service} {method} {path} → {(int)status} {status}{hint}{(problem.Length > 0 ? ": " + problem : "")}";
    }
}
