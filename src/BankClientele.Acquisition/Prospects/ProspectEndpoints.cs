using System.ComponentModel.DataAnnotations;
using BankClientele.Contracts.Acquisition;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Privacy;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Acquisition.Prospects;

public sealed record RecordProspect(
    [property: Required, StringLength(100, MinimumLength = 1)] string FullName,
    [property: Required, RegularExpression(@"^\+?[0-9]{7,20}$", ErrorMessage = "Phone must be 7 to 20 digits.")] string Phone,
    [property: Required, StringLength(20, MinimumLength = 1)] string BranchCode,
    [property: StringLength(40)] string? CampaignCode);

public sealed record ConvertProspect(
    [property: Required, RegularExpression("^[0-9]{8,30}$", ErrorMessage = "AccountNumber must be 8 to 30 digits.")] string AccountNumber,
    [property: Range(typeof(decimal), "0", "100000000000")] decimal InitialDeposit);

public sealed record ProspectView(
    Guid Id,
    string FullName,
    string PhoneMasked,
    string BranchCode,
    string? CampaignCode,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ConvertedAt,
    Guid? CustomerId);

public sealed record ProspectCreated(Guid Id);

public sealed record ProspectConversionResult(Guid ProspectId, Guid CustomerId);

public static class ProspectEndpoints
{
    public static IEndpointRouteBuilder MapProspectEndpoints(this IEndpointRouteBuilder app)
    {
        var prospects = app.MapGroup("/api/prospects").WithTags("Prospects");
        prospects.MapGet("/", ListAsync);
        prospects.MapGet("/{id:guid}", GetAsync);
        prospects.MapPost("/", RecordAsync);
        prospects.MapPost("/{id:guid}/conversion", ConvertAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext http, AcquisitionDbContext db, CancellationToken ct)
    {
        var rows = await db.Prospects.AsNoTracking().InBranchesOf(DataScope.Of(http.User))
            .OrderByDescending(p => p.CreatedAt).Take(500).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(ToView));
    }

    private static async Task<IResult> GetAsync(Guid id, HttpContext http, AcquisitionDbContext db, CancellationToken ct)
    {
        var prospect = await db.Prospects.AsNoTracking().InBranchesOf(DataScope.Of(http.User)).SingleOrDefaultAsync(p => p.Id == id, ct);
        return prospect is null ? TypedResults.NotFound() : TypedResults.Ok(ToView(prospect));
    }

    private static async Task<IResult> RecordAsync(RecordProspect request, HttpContext http, AcquisitionDbContext db, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        if (!scope.CanSeeBranch(request.BranchCode))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Branch out of scope",
                detail: $"You may not record prospects for branch '{request.BranchCode}'.",
                extensions: new Dictionary<string, object?> { ["field"] = nameof(RecordProspect.BranchCode) });
        }
        var prospect = new Prospect
        {
            Id = Guid.CreateVersion7(),
            FullName = request.FullName.Trim(),
            Phone = request.Phone,
            BranchCode = request.BranchCode,
            CampaignCode = request.CampaignCode,
            Status = ProspectStatus.Open,
            CreatedAt = DateTimeOffset.UtcNow,
            CreatedBy = scope.StaffId,
        };
        db.Prospects.Add(prospect);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/prospects/{prospect.Id}", new ProspectCreated(prospect.Id));
    }

    /// <summary>The prospect opened an account: mark it converted and tell the other services, atomically.</summary>
    private static async Task<IResult> ConvertAsync(Guid id, ConvertProspect request, HttpContext http, AcquisitionDbContext db, CancellationToken ct)
    {
        var prospect = await db.Prospects.InBranchesOf(DataScope.Of(http.User)).SingleOrDefaultAsync(p => p.Id == id, ct);
        if (prospect is null)
        {
            return TypedResults.NotFound();
        }
        if (prospect.Status == ProspectStatus.Converted)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already converted",
                detail: $"Prospect {id} became customer {prospect.CustomerId} on {prospect.ConvertedAt:u}.");
        }
        prospect.Status = ProspectStatus.Converted;
        prospect.CustomerId = Guid.CreateVersion7();
        prospect.AccountNumber = request.AccountNumber;
        prospect.InitialDeposit = request.InitialDeposit;
        prospect.ConvertedAt = DateTimeOffset.UtcNow;
        db.Publish(new ProspectConverted(
            prospect.Id, prospect.CustomerId.Value, prospect.FullName, prospect.Phone, prospect.BranchCode,
            request.AccountNumber, request.InitialDeposit, prospect.CampaignCode, prospect.ConvertedAt.Value));
        // The xmin concurrency token makes a concurrent second conversion fail instead of publishing twice.
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new ProspectConversionResult(prospect.Id, prospect.CustomerId.Value));
    }

    private static ProspectView ToView(Prospect p) => new(
        p.Id, PersonalData.MaskName(p.FullName), PersonalData.MaskPhone(p.Phone), p.BranchCode, p.CampaignCode,
        p.Status.ToString(), p.CreatedAt, p.ConvertedAt, p.CustomerId);
}
