using System.ComponentModel.DataAnnotations;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Privacy;
using Microsoft.EntityFrameworkCore;
using BankClientele.Hosting.Refusals;

namespace BankClientele.Acquisition.Prospects;

public sealed record RecordProspect(
    [property: Required, StringLength(100, MinimumLength = 1)] string FullName,
    [property: Required, RegularExpression(@"^\+?[0-9]{7,20}$", ErrorMessage = "Phone must be 7 to 20 digits."), PatternReason(FieldReasons.NotAPhone)] string Phone,
    [property: Required, StringLength(20, MinimumLength = 1)] string BranchCode,
    [property: StringLength(40)] string? CampaignCode,
    [property: RegularExpression("^[0-9]{15}([0-9]{2}[0-9Xx])?$", ErrorMessage = "IdNumber must be a 15 or 18 character resident ID."), PatternReason(FieldReasons.NotAnIdNumber)] string? IdNumber = null,
    [property: RegularExpression("^(staff|lobby|community-event|partner|import|online)$", ErrorMessage = "Channel must be staff, lobby, community-event, partner, import or online.")] string? Channel = null,
    [property: StringLength(40)] string? ReferralCode = null,
    [property: StringLength(40)] string? District = null,
    [property: StringLength(20)] string? AgeBand = null,
    [property: StringLength(40)] string? Occupation = null,
    [property: StringLength(200)] string? Tags = null,
    [property: StringLength(1000)] string? ConsentWording = null,
    [property: StringLength(40)] string? City = null,
    [property: StringLength(60)] string? Community = null,
    [property: StringLength(20)] string? IncomeBand = null);

public sealed record ConvertProspect(
    [property: Required, RegularExpression("^[0-9]{6,20}$", ErrorMessage = "CustomerNumber must be the 6 to 20 digit core-banking customer number."), PatternReason(FieldReasons.DigitsOnly, Min = 6, Max = 20)] string CustomerNumber,
    [property: Required, RegularExpression("^[0-9]{8,30}$", ErrorMessage = "AccountNumber must be 8 to 30 digits."), PatternReason(FieldReasons.DigitsOnly, Min = 8, Max = 30)] string AccountNumber,
    [property: Range(typeof(decimal), "0", "100000000000")] decimal InitialDeposit);

public sealed record GiveConsent(
    [property: Required, RegularExpression("^(marketing|financial-data)$", ErrorMessage = "Kind must be marketing or financial-data.")] string Kind,
    [property: Required, StringLength(30, MinimumLength = 1)] string Channel,
    [property: Required, StringLength(1000, MinimumLength = 10, ErrorMessage = "Wording must be the exact text the person agreed to (10 to 1000 characters).")] string Wording);

public sealed record WithdrawConsent([property: Required, StringLength(30, MinimumLength = 1)] string Channel);

public sealed record LogContact(
    [property: Required, RegularExpression("^(phone|sms|wechat|visit|email|event)$", ErrorMessage = "Channel must be phone, sms, wechat, visit, email or event.")] string Channel,
    [property: Required, RegularExpression("^(reached|no-answer|interested|appointment|declined)$", ErrorMessage = "Outcome must be reached, no-answer, interested, appointment or declined.")] string Outcome,
    [property: StringLength(40)] string? CampaignCode = null,
    [property: StringLength(500)] string? Note = null,
    DateOnly? NextActionOn = null);

public sealed record AddDoNotContact([property: Required, RegularExpression(@"^\+?[0-9 -]{7,24}$", ErrorMessage = "Phone must be 7 to 20 digits."), PatternReason(FieldReasons.NotAPhone)] string Phone);

public sealed record ProspectView(
    Guid Id,
    string FullName,
    string PhoneMasked,
    string BranchCode,
    string? CampaignCode,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ConvertedAt,
    Guid? CustomerId,
    string? IdNumberMasked = null,
    string Channel = "",
    bool MarketingConsent = false,
    bool FinancialDataConsent = false,
    string NextAction = "",
    DateOnly? NextActionOn = null,
    string? CustomerNumber = null,
    string? CreditedStaffId = null,
    decimal? AcquisitionCost = null);

public sealed record TouchView(string Channel, string? CampaignCode, string BranchCode, string? StaffId, DateTimeOffset At, string? Outcome, string? Note);

public sealed record ConsentView(string Kind, bool Given, string Channel, string Wording, DateTimeOffset At, string? RecordedBy);

public sealed record ProspectDetail(ProspectView Prospect, IReadOnlyList<TouchView> Touches, IReadOnlyList<ConsentView> Consents);

public sealed record ProspectPersonalData(Guid Id, string FullName, string Phone, string? IdNumber);

public sealed record ProspectCreated(Guid Id, bool Merged = false);

public sealed record ProspectConversionResult(Guid ProspectId, Guid CustomerId);

public static class ProspectEndpoints
{
    public static IEndpointRouteBuilder MapProspectEndpoints(this IEndpointRouteBuilder app)
    {
        var prospects = app.MapGroup("/api/prospects").WithTags("Prospects");
        prospects.MapGet("/", ListAsync);
        prospects.MapGet("/{id:guid}", GetAsync);
        prospects.MapGet("/{id:guid}/personal-data", GetPersonalDataAsync);
        prospects.MapPost("/", RecordAsync);
        prospects.MapPost("/{id:guid}/consents", GiveConsentAsync);
        prospects.MapPost("/{id:guid}/consents/{kind}/withdrawal", WithdrawConsentAsync);
        prospects.MapPost("/{id:guid}/contacts", LogContactAsync);
        app.MapPost("/api/do-not-contact", AddDoNotContactAsync).WithTags("Prospects");
        return app;
    }

    private static async Task<IResult> ListAsync(
        HttpContext http, AcquisitionDbContext db, string? stage, string? campaignCode, string? branchCode, CancellationToken ct)
    {
        var query = db.Prospects.AsNoTracking().InBranchesOf(DataScope.Of(http.User));
        if (stage is not null)
        {
            if (!Enum.TryParse<LeadStage>(stage, ignoreCase: true, out var s))
            {
                return FieldErrors.Problem("stage", FieldReasons.NotOneOf, $"Unknown stage '{stage}'; one of {string.Join(", ", Enum.GetNames<LeadStage>())}.");
            }
            query = query.Where(p => p.Stage == s);
        }
        if (campaignCode is not null)
        {
            query = query.Where(p => p.CampaignCode == campaignCode);
        }
        if (branchCode is not null)
        {
            query = query.Where(p => p.BranchCode == branchCode);
        }
        var rows = await query.OrderBy(p => p.NextActionOn == null).ThenBy(p => p.NextActionOn).ThenByDescending(p => p.CreatedAt)
            .Take(500).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(ToView));
    }

    private static async Task<IResult> GetAsync(Guid id, HttpContext http, AcquisitionDbContext db, CancellationToken ct)
    {
        var prospect = await db.Prospects.AsNoTracking().InBranchesOf(DataScope.Of(http.User)).SingleOrDefaultAsync(p => p.Id == id, ct);
        if (prospect is null)
        {
            return TypedResults.NotFound();
        }
        var touches = await db.ProspectTouches.AsNoTracking().Where(t => t.ProspectId == id).OrderBy(t => t.At)
            .Select(t => new TouchView(t.Channel, t.CampaignCode, t.BranchCode, t.StaffId, t.At, t.Outcome, t.Note)).ToListAsync(ct);
        // A touch's note is free text (a contact's note, an event's theme): numbers masked, also in notes stored before the rule.
        touches = touches.Select(t => t with { Note = FreeText.MaskNumbers(t.Note) }).ToList();
        var consents = await db.ProspectConsents.AsNoTracking().Where(c => c.ProspectId == id).OrderBy(c => c.At)
            .Select(c => new ConsentView(c.Kind, c.Given, c.Channel, c.Wording, c.At, c.RecordedBy)).ToListAsync(ct);
        return TypedResults.Ok(new ProspectDetail(ToView(prospect), touches, consents));
    }

    /// <summary>The unmasked name, phone and ID number for the branch staff who serve the prospect; audited with its reason.</summary>
    private static async Task<IResult> GetPersonalDataAsync(Guid id, string? reason, HttpContext http, AcquisitionDbContext db, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        if (FieldErrors.BadText("reason", reason, 200, "Say why you need the unmasked data (1 to 200 characters); it is recorded.", out var badReason))
        {
            return badReason;
        }
        if (!PersonalDataAudit.MayUnmask(scope))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Masked for your role",
                detail: "Only the branch staff who serve the prospect may see their personal data unmasked.",
                extensions: new Dictionary<string, object?> { ["code"] = ProblemCodes.MaskedForRole });
        }
        var prospect = await db.Prospects.AsNoTracking().InBranchesOf(scope).SingleOrDefaultAsync(p => p.Id == id, ct);
        if (prospect is null)
        {
            return TypedResults.NotFound();
        }
        db.RecordPersonalDataView(scope, "prospect", id, "FullName,Phone,IdNumber", reason.Trim());
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new ProspectPersonalData(prospect.Id, prospect.FullName, prospect.Phone, prospect.IdNumber));
    }

    private static async Task<IResult> RecordAsync(RecordProspect request, HttpContext http, AcquisitionDbContext db, PersonalDataHash hash, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        if (!scope.CanSeeBranch(request.BranchCode))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Branch out of scope",
                detail: $"You may not record prospects for branch '{request.BranchCode}'.",
                extensions: new Dictionary<string, object?> { ["code"] = ProblemCodes.BranchOutOfScope, ["field"] = nameof(RecordProspect.BranchCode) });
        }
        if (await CampaignOfAnotherBranchAsync(db, request.CampaignCode, request.BranchCode, ct) is { } refused)
        {
            return refused;
        }
        var now = DateTimeOffset.UtcNow;
        var result = await ProspectIntake.ArriveAsync(db, hash, new Arrival(
            request.FullName.Trim(), request.Phone, request.IdNumber, request.BranchCode, request.CampaignCode, request.Channel ?? "staff",
            scope.StaffId, now, request.ReferralCode, request.District, request.AgeBand, request.Occupation, request.Tags,
            request.ConsentWording is null ? null : new ConsentGiven(request.Channel ?? "staff", request.ConsentWording),
            request.City, request.Community, request.IncomeBand), null, ct);
        if (result.ExistingCustomer)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already a customer",
                detail: "This person is an existing customer of the bank: they are not prospected.",
                extensions: new Dictionary<string, object?> { ["code"] = ProblemCodes.AlreadyACustomer, ["field"] = nameof(RecordProspect.Phone) });
        }
        await db.SaveChangesAsync(ct);
        var created = new ProspectCreated(result.Prospect!.Id, result.Merged);
        return result.Merged ? TypedResults.Ok(created) : TypedResults.Created($"/api/prospects/{created.Id}", created);
    }

    private static async Task<IResult> GiveConsentAsync(Guid id, GiveConsent request, HttpContext http, AcquisitionDbContext db, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        var prospect = await db.Prospects.InBranchesOf(scope).SingleOrDefaultAsync(p => p.Id == id, ct);
        if (prospect is null)
        {
            return TypedResults.NotFound();
        }
        Record(db, prospect, request.Kind, given: true, request.Channel, request.Wording, scope.StaffId);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToView(prospect));
    }

    /// <summary>As easy as giving it: one call; marketing stops at once (contacts are refused from now on).</summary>
    private static async Task<IResult> WithdrawConsentAsync(Guid id, string kind, WithdrawConsent request, HttpContext http, AcquisitionDbContext db, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        if (!ConsentKinds.All.Contains(kind))
        {
            return FieldErrors.Problem("kind", FieldReasons.NotOneOf, "Kind must be marketing or financial-data.");
        }
        var prospect = await db.Prospects.InBranchesOf(scope).SingleOrDefaultAsync(p => p.Id == id, ct);
        if (prospect is null)
        {
            return TypedResults.NotFound();
        }
        Record(db, prospect, kind, given: false, request.Channel, "withdrawn", scope.StaffId);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToView(prospect));
    }

    private static void Record(AcquisitionDbContext db, Prospect prospect, string kind, bool given, string channel, string wording, string? staffId)
    {
        var consent = new ProspectConsent
        {
            Id = Guid.CreateVersion7(), ProspectId = prospect.Id, Kind = kind, Given = given, Channel = channel,
            Wording = wording, At = DateTimeOffset.UtcNow, RecordedBy = staffId,
        };
        db.ProspectConsents.Add(consent);
        ConsentRules.Apply(prospect, consent);
    }

    private static async Task<IResult> LogContactAsync(Guid id, LogContact request, HttpContext http, AcquisitionDbContext db, PersonalDataHash hash, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        var prospect = await db.Prospects.InBranchesOf(scope).SingleOrDefaultAsync(p => p.Id == id, ct);
        if (prospect is null)
        {
            return TypedResults.NotFound();
        }
        if (await CampaignOfAnotherBranchAsync(db, request.CampaignCode, prospect.BranchCode, ct) is { } refused)
        {
            return refused;
        }
        var phoneHash = prospect.PhoneHash ?? hash.Phone(prospect.Phone);
        var blocked = phoneHash is not null && await db.DoNotContact.AnyAsync(d => d.PhoneHash == phoneHash, ct);
        if (ConsentRules.CheckContact(prospect, blocked) is { } refusal)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: refusal.Title, detail: refusal.Detail,
                extensions: new Dictionary<string, object?> { ["code"] = refusal.Code, ["field"] = "prospectId" });
        }
        var now = DateTimeOffset.UtcNow;
        db.ProspectTouches.Add(new ProspectTouch
        {
            Id = Guid.CreateVersion7(), ProspectId = prospect.Id, Channel = "contact-" + request.Channel, CampaignCode = request.CampaignCode,
            BranchCode = prospect.BranchCode, StaffId = scope.StaffId, At = now, Outcome = request.Outcome, Note = FreeText.MaskNumbers(request.Note),
        });
        FunnelRules.Advance(prospect, FunnelRules.StageOfOutcome(request.Outcome), now);
        if (request.CampaignCode is not null)
        {
            prospect.CampaignCode = request.CampaignCode;
        }
        prospect.NextActionOn = request.NextActionOn;
        prospect.NextAction = FunnelRules.NextAction(prospect.Stage, mayContact: true);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToView(prospect));
    }

    private static async Task<IResult> AddDoNotContactAsync(AddDoNotContact request, HttpContext http, AcquisitionDbContext db, PersonalDataHash hash, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        var phoneHash = hash.Phone(request.Phone);
        if (phoneHash is null)
        {
            return FieldErrors.Problem("phone", FieldReasons.NotAPhone, "Phone has too few digits.");
        }
        if (!await db.DoNotContact.AnyAsync(d => d.PhoneHash == phoneHash, ct))
        {
            db.DoNotContact.Add(new DoNotContactEntry { PhoneHash = phoneHash, AddedAt = DateTimeOffset.UtcNow, AddedBy = scope.StaffId });
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.NoContent();
    }

    /// <summary>A lead is credited only to a campaign of its own branch (a code no campaign has yet is a free tag).</summary>
    private static async Task<IResult?> CampaignOfAnotherBranchAsync(AcquisitionDbContext db, string? campaignCode, string branchCode, CancellationToken ct) =>
        campaignCode is not null && await db.Campaigns.AnyAsync(c => c.Code == campaignCode && c.BranchCode != branchCode, ct)
            ? TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Campaign of another branch",
                detail: $"Campaign '{campaignCode}' belongs to another branch than {branchCode}.",
                extensions: new Dictionary<string, object?> { ["code"] = ProblemCodes.CampaignOfAnotherBranch, ["field"] = "campaignCode" })
            : null;

    public static ProspectView ToView(Prospect p) => new(
        p.Id, PersonalData.MaskName(p.FullName), PersonalData.MaskPhone(p.Phone), p.BranchCode, p.CampaignCode,
        p.Stage.ToString(), p.CreatedAt, p.ConvertedAt, p.CustomerId,
        p.IdNumber is null ? null : PersonalData.MaskNumber(p.IdNumber), p.Channel, p.MarketingConsent, p.FinancialDataConsent,
        p.NextAction ?? FunnelRules.NextAction(p.Stage, p.MarketingConsent), p.NextActionOn, p.CustomerNumber, p.CreditedStaffId, p.AcquisitionCost);
}
