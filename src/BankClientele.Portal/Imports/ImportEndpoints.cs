using BankClientele.Hosting.Auth;
using BankClientele.Portal.Components.Pages.Imports;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace BankClientele.Portal.Imports;

/// <summary>
/// <c>POST /imports/{kind}</c> (a form: the file and <c>dryRun</c>): the imports page's upload. The file
/// (CSV, or xlsx turned into the same CSV) goes to the service's own import endpoint as the signed-in
/// user, <c>?dryRun=true</c> for the preview; the service checks the scope and applies all or nothing.
/// The answer is the outcome as an HTML fragment the page shows in place (<see cref="ImportOutcomeView"/>).
/// </summary>
public static class ImportEndpoints
{
    /// <summary>The named clients for imports: no retries (a file is not sent twice) and a long timeout.</summary>
    public static string ClientName(string service) => service + ".imports";

    public static readonly string[] Roles = [StaffRoles.BranchLead, StaffRoles.HeadOffice, StaffRoles.Administrator];

    public static IEndpointRouteBuilder MapImports(this IEndpointRouteBuilder app)
    {
        app.MapPost("/imports/{kind}", ImportAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles));
        return app;
    }

    private static async Task<Results<RazorComponentResult<ImportOutcomeView>, NotFound, ValidationProblem>> ImportAsync(
        string kind, IFormFile? file, [FromForm] bool dryRun, IHttpClientFactory clients, ILogger<ImportKind> logger, CancellationToken ct)
    {
        if (ImportKind.Find(kind) is not { } import)
        {
            return TypedResults.NotFound();
        }
        if (file is null || file.Length == 0 || !(ImportFiles.IsCsv(file.FileName) || ImportFiles.IsXlsx(file.FileName)))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["A .csv or .xlsx file is required."] });
        }
        ImportOutcome outcome;
        try
        {
            var csv = await ImportFiles.ToCsvAsync(file, ct);
            using var content = new ByteArrayContent(csv);
            content.Headers.ContentType = new(ImportFiles.CsvContentType) { CharSet = "utf-8" };
            var path = dryRun ? import.Path + "?dryRun=true" : import.Path;
            using var response = await clients.CreateClient(ClientName(import.Service)).PostAsync(path, content, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                logger.LogInformation("{Kind} import (dry run {DryRun}) refused by {Service}: {Status}", import.Name, dryRun, import.Service, (int)response.StatusCode);
            }
            outcome = ImportOutcome.Read(import, dryRun, (int)response.StatusCode, body);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            logger.LogWarning(e, "{Service} did not answer the {Kind} import", import.Service, import.Name);
            outcome = ImportOutcome.Unavailable(import, dryRun, e.Message);
        }
        catch (Exception e) when (e.GetType().Namespace?.StartsWith("MiniExcelLibs", StringComparison.Ordinal) == true
                                  || e is InvalidDataException)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [$"Not a readable xlsx file: {e.Message}"] });
        }
        return new RazorComponentResult<ImportOutcomeView>(new { Outcome = outcome, Kind = import });
    }
}
