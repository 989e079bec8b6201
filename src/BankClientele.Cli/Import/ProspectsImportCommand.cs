using System.CommandLine;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BankClientele.Acquisition.Import;
using BankClientele.Cli.Infrastructure;
using BankClientele.Cli.Seed;
using BankClientele.Hosting.Auth;
using Spectre.Console;

namespace BankClientele.Cli.Import;

/// <summary>
/// <c>import prospects FILE</c>: streams a CSV prospect list to Acquisition's import (Sylvan, binary
/// COPY to staging, set-based match and merge there), with a progress bar over the bytes sent.
/// </summary>
public static class ProspectsImportCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<FileInfo>("FILE") { Description = $"CSV with a header row; columns: {string.Join(", ", ProspectImporter.Columns)} (full_name, phone and branch_code required)." };
        var command = new Command("prospects", "Import a prospect list into acquisition: duplicates (by normalised phone and ID number) are merged with their touch history; any bad row and nothing is applied.")
        {
            file,
        };
        command.SetCliAction(context, async (parse, ct) =>
        {
            var path = parse.GetRequiredValue(file);
            if (!path.Exists)
            {
                throw new CliException($"No such file: {path.FullName}");
            }
            var admin = DemoNetwork.Administrator;
            var token = context.Settings.TokenIssuer().Issue(new StaffIdentity(admin.StaffId, admin.DisplayName, StaffRoles.Administrator, null), ServiceCatalog.Acquisition.Audience);
            var result = await UploadAsync(context, context.Settings.BaseAddress(ServiceCatalog.Acquisition), token, path, ct);
            context.Console.MarkupLine(
                $"[green]{result.Rows:N0} rows imported[/] in {result.Seconds:0.0} s: {result.Inserted:N0} new prospects, {result.Merged:N0} merged into known ones, " +
                $"{result.ExistingCustomers:N0} left out as existing customers.");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static async Task<ImportResult> UploadAsync(CliContext context, Uri baseAddress, string token, FileInfo path, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        HttpResponseMessage? response = null;
        await context.Errors.Progress().AutoClear(false).StartAsync(async progress =>
        {
            var task = progress.AddTask($"Sending {Markup.Escape(path.Name)}", maxValue: Math.Max(1, path.Length));
            await using var stream = new ProgressStream(path.OpenRead(), sent => task.Value = sent);
            using var content = new StreamContent(stream, 1 << 16);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/csv") { CharSet = "utf-8" };
            try
            {
                response = await http.PostAsync("/api/prospects/import", content, ct);
            }
            catch (HttpRequestException e)
            {
                throw new CliException($"acquisition is not reachable at {baseAddress}: {e.Messages()}", e);
            }
            task.Value = task.MaxValue;
        });
        using (response)
        {
            var body = await response!.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new CliException(DescribeProblem(response.StatusCode, body));
            }
            return JsonSerializer.Deserialize<ImportResult>(body, JsonSerializerOptions.Web)
                ?? throw new CliException("acquisition answered the import with an empty body.");
        }
    }

    /// <summary>The bad rows by line and field, one per line, after the problem's title.</summary>
    private static string DescribeProblem(System.Net.HttpStatusCode status, string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            var lines = new List<string> { $"acquisition refused the import ({(int)status}): {ProblemDetailsText.Format(body)}" };
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                lines.AddRange(errors.EnumerateArray().Select(e =>
                    $"  line {e.GetProperty("line").GetInt32()}, {e.GetProperty("field").GetString()}: {e.GetProperty("message").GetString()}"));
            }
            return string.Join(Environment.NewLine, lines);
        }
        catch (JsonException)
        {
            return $"acquisition refused the import ({(int)status}): {body}";
        }
    }
}

/// <summary>A read-only stream that reports how far it has been read.</summary>
internal sealed class ProgressStream(Stream inner, Action<long> report) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => inner.Length;
    public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
    public override void Flush() { }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        report(inner.Position);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        report(inner.Position);
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
