using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BankClientele.Cli.Infrastructure;
using BankClientele.CustomerCare.Feed;
using BankClientele.Hosting.Auth;

namespace BankClientele.Cli.Import;

/// <summary>
/// Streams a core-banking feed file to customer-care's batch endpoint (<c>POST /api/feed/{feed}</c>,
/// <c>text/csv</c>) and returns the outcome; bad rows come back as a <see cref="ServiceCallException"/>
/// whose message lists them by line and field. The import command and the demo seed both use it.
/// </summary>
public sealed class FeedUploader : IDisposable
{
    public static readonly IReadOnlyList<string> Feeds = ["customers", "holdings", "balances"];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient http;

    public FeedUploader(Uri baseAddress, string bearerToken, HttpMessageHandler? handler = null)
    {
        http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.BaseAddress = baseAddress;
        // A year of balances is a few hundred megabytes, merged after the upload: minutes, not seconds.
        http.Timeout = TimeSpan.FromMinutes(30);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
    }

    /// <summary>As the operator's administrator (the token signed with the services' key).</summary>
    public static FeedUploader Create(CliSettings settings)
    {
        var admin = Seed.DemoNetwork.Administrator;
        var token = settings.TokenIssuer().Issue(new StaffIdentity(admin.StaffId, admin.DisplayName, StaffRoles.Administrator, null), ServiceCatalog.CustomerCare.Audience);
        return new FeedUploader(settings.BaseAddress(ServiceCatalog.CustomerCare), token);
    }

    /// <param name="progress">Bytes sent so far.</param>
    public async Task<FeedImportResult> UploadAsync(string feed, Stream file, IProgress<long>? progress, CancellationToken ct)
    {
        if (!Feeds.Contains(feed))
        {
            throw new CliException($"Unknown feed '{feed}': {string.Join(", ", Feeds)}.");
        }
        var path = $"/api/feed/{feed}";
        using var content = new StreamContent(new ProgressStream(file, progress), 1 << 16);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv") { CharSet = "utf-8" };
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync(path, content, ct);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"{ServiceCatalog.CustomerCare} is not reachable at {http.BaseAddress} (POST {path}): {e.Messages()}", e);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new ServiceCallException(ServiceCatalog.CustomerCare, HttpMethod.Post, path, response.StatusCode, await response.Content.ReadAsStringAsync(ct));
            }
            return await response.Content.ReadFromJsonAsync<FeedImportResult>(Json, ct)
                ?? throw new CliException($"{ServiceCatalog.CustomerCare} answered POST {path} with an empty body.");
        }
    }

    public void Dispose() => http.Dispose();

    /// <summary>Reports the bytes read through it.</summary>
    private sealed class ProgressStream(Stream inner, IProgress<long>? progress) : Stream
    {
        private long read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int n)
        {
            read += n;
            progress?.Report(read);
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
