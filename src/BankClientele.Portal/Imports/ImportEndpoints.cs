using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Refusals;
using BankClientele.Portal.Services;
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

    private static async Task<Results<RazorComponentResult<ImportOutcomeView>, NotFound>> ImportAsync(
        string kind, IFormFile? file, [FromForm] bool dryRun, IHttpClientFactory clients, ILogger<ImportKind> logger, CancellationToken ct)
    {
        if (ImportKind.Find(kind) is not { } import)
        {
            return TypedResults.NotFound();
        }
        if (file is null || file.Length == 0 || !(ImportFiles.IsCsv(file.FileName) || ImportFiles.IsXlsx(file.FileName)))
        {
            // Worded on the page like a service's refusal of the file (no English from here either).
            return Outcome(ImportOutcome.Refusing(import, dryRun, new Refusal(400, ProblemCodes.InvalidFields, null,
                [new FieldRefusal(null, "file", FieldReasons.Required, "A .csv or .xlsx file is required.")], new Dictionary<string, string>())), import);
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
                // The service's English stays in the log: the page words the refusal from its codes.
                logger.LogInformation("{Kind} import (dry run {DryRun}) refused by {Service}: {Status} {Problem}", import.Name, dryRun, import.Service,
                    (int)response.StatusCode, body.Length > 2000 ? body[..2000] : body);
            }
            outcome = ImportOutcome.Read(import, dryRun, (int)response.StatusCode, body);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            logger.LogWarning(e, "{Service} did not answer the {Kind} import", import.Service, import.Name);
            outcome = ImportOutcome.Unavailable(import, dryRun);
        }
        catch (Exception e) when (e.GetType().Namespace?.StartsWith("MiniExcelLibs", StringComparison.Ordinal) == true
                                  || e is InvalidDataException)
        {
            logger.LogInformation(e, "{Kind} import: not a readable xlsx file", import.Name);
            return Outcome(ImportOutcome.Refusing(import, dryRun, new Refusal(400, ProblemCodes.ImportUnreadable, null, [], new Dictionary<string, string>())), import);
        }
        return Outcome(outcome, import);
    }

    private static RazorComponentResult<ImportOutcomeView> Outcome(ImportOutcome outcome, ImportKind import) =>
        new(new { Outcome = outcome, Kind = import });
}
