using System.ComponentModel.DataAnnotations;
using BankClientele.Hosting.Auth;
using Microsoft.EntityFrameworkCore;
using BankClientele.Hosting.Refusals;

namespace BankClientele.Acquisition.Partners;

public sealed record SavePartner(
    [property: Required, RegularExpression("^[A-Z0-9-]{2,40}$", ErrorMessage = "Code must be 2 to 40 upper-case letters, digits or dashes."), PatternReason(FieldReasons.CodeFormat, Min = 2, Max = 40)] string Code,
    [property: Required, StringLength(200, MinimumLength = 1)] string Name,
    [property: Required, StringLength(20, MinimumLength = 1)] string BranchCode,
    [property: Required, RegularExpression("^[A-Z0-9]{4,40}$", ErrorMessage = "ReferralCode must be 4 to 40 upper-case letters or digits."), PatternReason(FieldReasons.UpperCaseAndDigits, Min = 4, Max = 40)] string ReferralCode,
    [property: Range(typeof(decimal), "0", "1000000", ErrorMessage = "FeePerConversion must be 0 to 1,000,000 yuan.")] decimal FeePerConversion);

/// <summary>A partner with its referrals, conversions and cost (fees for conversions plus its campaigns' costs).</summary>
public sealed record PartnerView(string Code, string Name, string BranchCode, string ReferralCode, decimal FeePerConversion, int Referrals, int Conversions, decimal Cost);

public static class PartnerEndpoints
{
    public static IEndpointRouteBuilder MapPartnerEndpoints(this IEndpointRouteBuilder app)
    {
        var partners = app.MapGroup("/api/partners").WithTags("Partners");
        partners.MapGet("/", ListAsync);
        partners.MapPut("/", SaveAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext http, AcquisitionDbContext db, CancellationToken ct)
    {
        var rows = await db.Partners.AsNoTracking().InBranchesOf(DataScope.Of(http.User)).OrderBy(p => p.Code)
            .Select(p => new
            {
                Partner = p,
                Referrals = db.Prospects.Count(x => x.ReferralCode == p.ReferralCode),
                Conversions = db.Prospects.Count(x => x.ReferralCode == p.ReferralCode && x.CustomerId != null),
                CampaignCost = db.CampaignCosts.Where(k => db.Campaigns.Any(c => c.Code == k.CampaignCode && c.PartnerCode == p.Code)).Sum(k => (decimal?)k.Amount) ?? 0m,
            })
            .ToListAsync(ct);
        return TypedResults.Ok(rows.Select(r => new PartnerView(
            r.Partner.Code, r.Partner.Name, r.Partner.BranchCode, r.Partner.ReferralCode, r.Partner.FeePerConversion,
            r.Referrals, r.Conversions, r.CampaignCost + r.Conversions * r.Partner.FeePerConversion)));
    }

    private static async Task<IResult> SaveAsync(SavePartner request, HttpContext http, AcquisitionDbContext db, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        if (!scope.CanSeeBranch(request.BranchCode))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Branch out of scope",
                detail: $"You may not manage partners of branch '{request.BranchCode}'.",
                extensions: new Dictionary<string, object?> { ["code"] = ProblemCodes.BranchOutOfScope });
        }
        var partner = await db.Partners.FindAsync([request.Code], ct);
        // A partner code of another branch is not the caller's to change (nor to learn of).
        if (partner is not null && (!scope.CanSeeBranch(partner.BranchCode) || partner.BranchCode != request.BranchCode))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such partner",
                detail: $"Branch '{request.BranchCode}' has no partner '{request.Code}'.",
                extensions: new Dictionary<string, object?> { ["code"] = ProblemCodes.PartnerNotFound, ["field"] = nameof(SavePartner.Code) });
        }
        if (partner is null)
        {
            if (await db.Partners.AnyAsync(p => p.ReferralCode == request.ReferralCode, ct))
            {
                return FieldErrors.Problem(nameof(SavePartner.ReferralCode), FieldReasons.Taken, "Another partner has this referral code.");
            }
            db.Partners.Add(new Partner
            {
                Code = request.Code, Name = request.Name, BranchCode = request.BranchCode, ReferralCode = request.ReferralCode,
                FeePerConversion = request.FeePerConversion, CreatedAt = DateTimeOffset.UtcNow,
            });
        }
        else
        {
            partner.Name = request.Name;
            partner.FeePerConversion = request.FeePerConversion;
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok();
    }
}
