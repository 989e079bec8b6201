using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BankClientele.Cli.Infrastructure;
using BankClientele.FootTraffic.Visits;
using BankClientele.Hosting.Auth;

namespace BankClientele.Cli.Import;

/// <summary>
/// Streams a queue log (CSV) to foot-traffic's <c>POST /api/visits/queue-log</c>, reporting the bytes
/// sent as it goes; a refused log becomes an error listing the bad rows by line and field.
/// </summary>
public sealed class VisitLogUpload : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient http;

    public VisitLogUpload(CliSettings settings, HttpMessageHandler? handler = null)
    {
        var admin = Seed.DemoNetwork.Administrator;
        var token = settings.TokenIssuer().Issue(new StaffIdentity(admin.StaffId, admin.DisplayName, StaffRoles.Administrator, null), ServiceCatalog.FootTraffic.Audience);
        http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.BaseAddress = settings.BaseAddress(ServiceCatalog.FootTraffic);
        http.Timeout = TimeSpan.FromMinutes(30);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public async Task<VisitLogResult> UploadAsync(Stream csv, Action<long> sent, CancellationToken ct)
    {
        using var content = new ProgressContent(csv, sent);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv") { CharSet = "utf-8" };
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync("/api/visits/queue-log", content, ct);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"foot-traffic is not reachable at {http.BaseAddress}: {e.Messages()}", e);
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.BadRequest && response.Content.Headers.ContentType?.MediaType == "application/problem+json")
            {
                using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
                if (problem.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
                {
                    var rows = errors.EnumerateArray().Select(e => $"  line {e.GetProperty("line").GetInt32()}, {e.GetProperty("field").GetString()}: {e.GetProperty("message").GetString()}").ToList();
                    var count = problem.RootElement.GetProperty("errorCount").GetInt32();
                    throw new CliException($"The queue log was refused, nothing was imported: {count} bad row(s){(count > rows.Count ? $" (the first {rows.Count} below)" : "")}:\n{string.Join('\n', rows)}");
                }
            }
            if (!response.IsSuccessStatusCode)
            {
                throw new ServiceCallException(ServiceCatalog.FootTraffic, HttpMethod.Post, "/api/visits/queue-log", response.StatusCode, await response.Content.ReadAsStringAsync(ct));
            }
            return (await response.Content.ReadFromJsonAsync<VisitLogResult>(Json, ct))!;
        }
    }

    public void Dispose() => http.Dispose();

    /// <summary>The request body, read from the stream in 64 KiB pieces as the socket takes them.</summary>
    private sealed class ProgressContent(Stream source, Action<long> sent) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            var buffer = new byte[64 * 1024];
            long total = 0;
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                sent(total += read);
            }
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            length = source.CanSeek ? source.Length - source.Position : -1;
            return source.CanSeek;
        }
    }
}
