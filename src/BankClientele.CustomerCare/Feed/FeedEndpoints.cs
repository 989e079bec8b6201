using System.Text.Json;
using BankClientele.CustomerCare.Notifications;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Imports;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Sylvan.Data.Csv;
using BankClientele.Hosting.Refusals;

namespace BankClientele.CustomerCare.Feed;

/// <summary>
/// The core-banking feed's batch endpoints: <c>POST /api/feed/customers|holdings|balances</c> with
/// a CSV file (<c>text/csv</c>, streamed) or a JSON array of the same fields (camelCase). For
/// administrators and head office, and the customers file also for a branch lead (their own branch
/// only, checked row by row). The CLI's <c>import</c> and the portal's imports page call them;
/// <c>?dryRun=true</c> runs the whole import and rolls it back (the portal's preview).
/// </summary>
public static class FeedEndpoints
{
    public static IEndpointRouteBuilder MapFeedEndpoints(this IEndpointRouteBuilder app)
    {
        var feed = app.MapGroup("/api/feed").WithTags("Feed");
        feed.MapPost("/customers", async (HttpRequest request, CustomerFeed kind, FeedImporter importer, CustomerCareDbContext db, bool? dryRun, CancellationToken ct) =>
            {
                var scope = DataScope.Of(request.HttpContext.User);
                kind.OnlyBranch = scope.SeesAll ? null : scope.BranchCode ?? ""; // a lead without a branch may import nothing
                var answer = await ImportAsync(request, kind, importer, dryRun ?? false, ct);
                if (answer is Ok<FeedImportResult> { Value: { DryRun: false } applied })
                {
                    // The customers file is the one people import by hand (the imports page): its importer is told.
                    await NotificationWrites.ImportFinishedAsync(db, Guid.CreateVersion7(), "customers", scope.StaffId, scope.BranchCode ?? "",
                        applied.Rows, DateTimeOffset.UtcNow, ct);
                }
                return answer;
            })
            .RequireAuthorization(policy => policy.RequireRole(StaffRoles.Administrator, StaffRoles.HeadOffice, StaffRoles.BranchLead));
        feed.MapPost("/holdings", (HttpRequest request, HoldingFeed kind, FeedImporter importer, bool? dryRun, CancellationToken ct) => ImportAsync(request, kind, importer, dryRun ?? false, ct))
            .RequireAuthorization(policy => policy.RequireRole(StaffRoles.Administrator, StaffRoles.HeadOffice));
        feed.MapPost("/balances", (HttpRequest request, BalanceFeed kind, FeedImporter importer, bool? dryRun, CancellationToken ct) => ImportAsync(request, kind, importer, dryRun ?? false, ct))
            .RequireAuthorization(policy => policy.RequireRole(StaffRoles.Administrator, StaffRoles.HeadOffice));
        return app;
    }

    private static async Task<IResult> ImportAsync(HttpRequest request, FeedKind kind, FeedImporter importer, bool dryRun, CancellationToken ct)
    {
        // A year of daily balances is hundreds of megabytes: streamed, within Imports:MaxBytes and Imports:MaxRows.
        var mediaType = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType.Value : null;
        if (mediaType is not ("text/csv" or "application/json"))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported content type",
                detail: $"Send the {kind.Name} as text/csv (a header line with {string.Join(", ", kind.Columns)}) or as a JSON array of objects.");
        }
        return await ImportLimits.RunAsync(request.HttpContext, mediaType == "text/csv" ? ImportFormat.Csv : ImportFormat.Json,
            body => ImportBodyAsync(body, mediaType, kind, importer, dryRun, ct));
    }

    private static async Task<IResult> ImportBodyAsync(Stream body, string mediaType, FeedKind kind, FeedImporter importer, bool dryRun, CancellationToken ct)
    {
        List<string> missing = [];
        var rows = mediaType == "text/csv"
            ? FeedSources.ReadCsvAsync(body, kind.Columns, missing, ct)
            : FeedSources.ReadJsonAsync(body, kind.Columns, ct);
        try
        {
            return TypedResults.Ok(await importer.ImportAsync(kind, rows, () => missing, ct, dryRun));
        }
        catch (FeedRejectedException e)
        {
            var shown = e.Errors.Listed.Select(x => x.Line).Distinct().Count();
            return TypedResults.ValidationProblem(e.Errors.ToDictionary(),
                title: $"The {kind.Name} file was refused: nothing was applied",
                detail: e.Errors.BadRows == shown
                    ? $"{e.Errors.BadRows} bad row(s). {e.Message}"
                    : $"{e.Errors.BadRows} bad rows; the first {shown} are listed. {e.Message}",
                extensions: new Dictionary<string, object?> { ["code"] = ProblemCodes.ImportBadRows, ["badRows"] = e.Errors.BadRows, ["errorCodes"] = e.Errors.Codes(), ["errorArguments"] = e.Errors.Arguments() });
        }
        catch (JsonException e)
        {
            return Malformed(kind, $"Not a JSON array of {kind.Name} (line {e.LineNumber + 1}): {e.Message}");
        }
        catch (CsvFormatException e)
        {
            return Malformed(kind, $"Not a readable CSV file (record {e.RowNumber}): {e.Message}");
        }
    }

    private static IResult Malformed(FeedKind kind, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [message] },
            title: $"The {kind.Name} file was refused: nothing was applied",
            extensions: new Dictionary<string, object?> { ["code"] = ProblemCodes.ImportUnreadable });
}
