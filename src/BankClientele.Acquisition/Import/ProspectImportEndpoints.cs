using BankClientele.Contracts.Imports;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Privacy;
using BankClientele.Hosting.Imports;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using BankClientele.Hosting.Refusals;

namespace BankClientele.Acquisition.Import;

public static class ProspectImportEndpoints
{
    public static IEndpointRouteBuilder MapProspectImportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/prospects/import", ImportAsync).WithTags("Prospects").DisableAntiforgery();
        return app;
    }

    /// <summary>
    /// POST a CSV prospect list as the request body (text/csv, streamed, any size): 200 with the
    /// counts, or 400 with the bad rows by line and field (the first 100 and the count) and nothing applied.
    /// <c>?dryRun=true</c>: the same import rolled back, with the first rows as read (the portal's preview).
    /// </summary>
    private static async Task<IResult> ImportAsync(HttpContext http, AcquisitionDbContext db, PersonalDataHash hash, bool? dryRun, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        // A list of a million prospects is a few hundred megabytes: streamed, within Imports:MaxBytes and Imports:MaxRows.
        return await ImportLimits.RunAsync(http, ImportFormat.Csv, async body =>
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            var result = await ProspectImporter.ImportAsync(connection, body, hash, new ImportOptions(scope.StaffId, scope.CanSeeBranch, DryRun: dryRun ?? false), ct);
            if (result.Applied && !result.DryRun)
            {
                // After the import's own commit: a lost notice never undoes an import.
                db.Publish(new ImportFinished(Guid.CreateVersion7(), "prospects", scope.StaffId, scope.BranchCode ?? "", result.Rows, DateTimeOffset.UtcNow));
                await db.SaveChangesAsync(ct);
            }
            return Answer(result);
        });
    }

    private static IResult Answer(ImportResult result)
    {
        if (!result.Applied)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad rows: nothing imported",
                detail: $"{result.ErrorCount} problems in {result.Rows} rows; the first {result.Errors.Count} are listed by line and field.",
                extensions: new Dictionary<string, object?> { ["code"] = ProblemCodes.ImportBadRows, ["errorCount"] = result.ErrorCount, ["errors"] = result.Errors });
        }
        return TypedResults.Ok(result);
    }
}
