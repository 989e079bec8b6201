using System.ComponentModel.DataAnnotations;
using BankClientele.Contracts.Acquisition;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Customers;
using BankClientele.Hosting.Refusals;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Acquisition.Campaigns;

public sealed record CreateCampaign(
    [property: Required, RegularExpression("^[A-Z0-9-]{3,40}$", ErrorMessage = "Code must be 3 to 40 upper-case letters, digits or dashes."), PatternReason(FieldReasons.CodeFormat, Min = 3, Max = 40)] string Code,
    [property: Required, StringLength(200, MinimumLength = 1)] string Name,
    [property: Required, RegularExpression("^(targeted|community-event|partner)$", ErrorMessage = "Kind must be targeted, community-event or partner.")] string Kind,
    [property: Required, StringLength(20, MinimumLength = 1)] string BranchCode,
    [property: Range(typeof(decimal), "0", "1000000000", ErrorMessage = "Budget must be between 0 and 1,000,000,000 yuan.")] decimal Budget,
    DateOnly StartsOn,
    DateOnly? EndsOn = null,
    [property: StringLength(400)] string? Staff = null,
    [property: StringLength(400)] string? Segment = null,
    [property: StringLength(30)] string? Channel = null,
    [property: StringLength(2000)] string? Script = null,
    [property: Range(0.0, 0.5, ErrorMessage = "HoldoutFraction must be between 0 and 0.5.")] double HoldoutFraction = 0,
    [property: StringLength(200)] string? Place = null,
    [property: Range(1, 100000)] int? Capacity = null,
    [property: Range(0, 100000)] int? ExpectedAttendance = null,
    [property: StringLength(40)] string? PartnerCode = null,
    [property: StringLength(400)] string? CostTerms = null);

public sealed record RecordCost(
    [property: Range(typeof(decimal), "0.01", "1000000000", ErrorMessage = "Amount must be a positive number of yuan (0.01 to 1,000,000,000).")] decimal Amount,
    [property: Required, StringLength(40, MinimumLength = 1)] string Category,
    DateOnly IncurredOn,
    [property: RegularExpression("^(staff|lobby|community-event|partner|import|online)$", ErrorMessage = "Channel must be staff, lobby, community-event, partner, import or online.")] string? Channel = null);

public sealed record CloseCampaign([property: Range(0, 100000)] int? ActualAttendance = null);

/// <param name="HoldoutFraction">The random holdout to draw with (0 to 0.5); when given it replaces the campaign's planned one, which the audience then fixes.</param>
public sealed record AssignAudience(
    [property: MaxLength(200000)] IReadOnlyList<string>? CustomerNumbers = null,
    bool WholeBranch = false,
    [property: Range(0.0, 0.5, ErrorMessage = "HoldoutFraction must be between 0 and 0.5.")] double? HoldoutFraction = null);

public sealed record WorklistCustomer(Guid CustomerId, string CustomerNumber, string Tier);

/// <summary>One manager's treated customers of a campaign (manager null: customers with no manager known yet).</summary>
public sealed record Worklist(string? RelationshipManagerId, IReadOnlyList<WorklistCustomer> Customers);

public sealed record AudienceAssigned(int Treated, int Control, int Chunks);

public sealed record CampaignView(
    string Code, string Name, string Kind, string BranchCode, string Status, decimal Budget, DateOnly StartsOn, DateOnly? EndsOn,
    string? Staff, string? Segment, string? Channel, string? Script, double HoldoutFraction, string? Place, int? Capacity,
    int? ExpectedAttendance, int? ActualAttendance, string? PartnerCode, string? CostTerms, string CreatedBy, string? ApprovedBy,
    DateTimeOffset? ApprovedAt, string? SubmittedBy = null, DateTimeOffset? SubmittedAt = null, DateTimeOffset? ClosedAt = null);

public sealed record CostView(Guid Id, decimal Amount, string Category, DateOnly IncurredOn, string RecordedBy, string Channel = "staff");

public sealed record CampaignDetail(CampaignView Campaign, CampaignFigures Figures, IReadOnlyList<CostView> Costs, int AudienceTreated, int AudienceControl);

public static class CampaignEndpoints
{
    public static IEndpointRouteBuilder MapCampaignEndpoints(this IEndpointRouteBuilder app)
    {
        var campaigns = app.MapGroup("/api/campaigns").WithTags("Campaigns");
        campaigns.MapGet("/", ListAsync);
        campaigns.MapGet("/{code}", GetAsync);
        campaigns.MapPost("/", CreateAsync);
        campaigns.MapPost("/{code}/submission", SubmitAsync);
        campaigns.MapPost("/{code}/approval", ApproveAsync);
        campaigns.MapPost("/{code}/launch", LaunchAsync);
        campaigns.MapPost("/{code}/closure", CloseAsync);
        campaigns.MapPost("/{code}/costs", RecordCostAsync);
        campaigns.MapPost("/{code}/audience", AssignAudienceAsync);
        campaigns.MapGet("/{code}/worklists", WorklistsAsync);
        app.MapGet("/api/channel-figures", ChannelFiguresAsync).WithTags("Campaigns");
        return app;
    }

    /// <summary>Per lead channel; <c>attribution=first|last</c> credits conversions to the first or last touch's channel.</summary>
    private static async Task<IResult> ChannelFiguresAsync(string? attribution, HttpContext http, AcquisitionDbContext db, CancellationToken ct) =>
        FigureAttributions.Parse(attribution) is { } mode
            ? TypedResults.Ok(await CampaignFigureQueries.ForChannelsAsync(db, BranchFilter(DataScope.Of(http.User)), ct, mode))
            : BadAttribution();

    private static IResult BadAttribution() =>
        FieldErrors.Problem("attribution", FieldReasons.NotOneOf, "Attribution must be first, last or lead (the default).");

    /// <summary>The caller's branches (null: all; none matches nothing).</summary>
    private static string[]? BranchFilter(DataScope scope) => scope.BranchCodes?.ToArray();

    /// <summary>Every campaign the caller may see, with its figures.</summary>
    private static async Task<IResult> ListAsync(string? attribution, HttpContext http, AcquisitionDbContext db, CancellationToken ct) =>
        FigureAttributions.Parse(attribution) is { } mode
            ? TypedResults.Ok(await CampaignFigureQueries.ForCampaignsAsync(db, BranchFilter(DataScope.Of(http.User)), null, ct, mode))
            : BadAttribution();

    private static async Task<IResult> GetAsync(string code, string? attribution, HttpContext http, AcquisitionDbContext db, CancellationToken ct)
    {
        if (FigureAttributions.Parse(attribution) is not { } mode)
        {
            return BadAttribution();
        }
        var scope = DataScope.Of(http.User);
        var campaign = await db.Campaigns.AsNoTracking().InBranchesOf(scope).SingleOrDefaultAsync(c => c.Code == code, ct);
        if (campaign is null)
        {
            return TypedResults.NotFound();
        }
        var figures = (await CampaignFigureQueries.ForCampaignsAsync(db, null, code, ct, mode)).Single();
        var costs = await db.CampaignCosts.AsNoTracking().Where(c => c.CampaignCode == code).OrderBy(c => c.IncurredOn)
            .Select(c => new CostView(c.Id, c.Amount, c.Category, c.IncurredOn, c.RecordedBy, c.Channel)).ToListAsync(ct);
        var audience = await db.CampaignAudience.AsNoTracking().Where(m => m.CampaignCode == code)
            .GroupBy(m => m.IsControl).Select(g => new { Control = g.Key, Count = g.Count() }).ToListAsync(ct);
        return TypedResults.Ok(new CampaignDetail(ToView(campaign), figures, costs,
            audience.Where(a => !a.Control).Sum(a => a.Count), audience.Where(a => a.Control).Sum(a => a.Count)));
    }

    private static async Task<IResult> CreateAsync(CreateCampaign request, HttpContext http, AcquisitionDbContext db, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        if (!scope.CanSeeBranch(request.BranchCode))
        {
            return Problem(StatusCodes.Status403Forbidden, ProblemCodes.BranchOutOfScope, "Branch out of scope", $"You may not plan campaigns for branch '{request.BranchCode}'.", nameof(CreateCampaign.BranchCode));
        }
        if (request.EndsOn is { } ends && ends < request.StartsOn)
        {
            return FieldErrors.Problem(nameof(CreateCampaign.EndsOn), FieldReasons.BeforeStart, "EndsOn must not be before StartsOn.");
        }
        // The partner must be one of the campaign's branch: another branch's partner is unknown here.
        if (request.Kind == CampaignKinds.Partner
            && (request.PartnerCode is null || !await db.Partners.AnyAsync(p => p.Code == request.PartnerCode && p.BranchCode == request.BranchCode, ct)))
        {
            return FieldErrors.Problem(nameof(CreateCampaign.PartnerCode), request.PartnerCode is null ? FieldReasons.Required : FieldReasons.Unknown, "A partner campaign names a known partner of its branch (PartnerCode).");
        }
        if (request.Kind == CampaignKinds.CommunityEvent && request.Place is null)
        {
            return FieldErrors.Problem(nameof(CreateCampaign.Place), FieldReasons.Required, "A community event has a place.");
        }
        if (await db.Campaigns.AnyAsync(c => c.Code == request.Code, ct))
        {
            return Problem(StatusCodes.Status409Conflict, ProblemCodes.CampaignExists, "Campaign exists", $"A campaign with code '{request.Code}' exists.", nameof(CreateCampaign.Code), request.Code);
        }
        var campaign = new Campaign
        {
            Id = Guid.CreateVersion7(), Code = request.Code, Name = request.Name, Kind = request.Kind, BranchCode = request.BranchCode,
            Status = CampaignStatus.Draft, Budget = request.Budget, StartsOn = request.StartsOn, EndsOn = request.EndsOn, Staff = request.Staff,
            Segment = request.Segment, Channel = request.Channel, Script = request.Script, HoldoutFraction = request.HoldoutFraction,
            Place = request.Place, Capacity = request.Capacity, ExpectedAttendance = request.ExpectedAttendance,
            PartnerCode = request.PartnerCode, CostTerms = request.CostTerms, CreatedAt = DateTimeOffset.UtcNow, CreatedBy = scope.StaffId,
        };
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/campaigns/{campaign.Code}", ToView(campaign));
    }

    /// <summary>Whoever drafted it hands the draft to the branch lead; it stays a draft until approved.</summary>
    private static async Task<IResult> SubmitAsync(string code, HttpContext http, AcquisitionDbContext db, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        var campaign = await db.Campaigns.InBranchesOf(scope).SingleOrDefaultAsync(c => c.Code == code, ct);
        if (campaign is null)
        {
            return TypedResults.NotFound();
        }
        if (campaign.Status != CampaignStatus.Draft || campaign.SubmittedAt is not null)
        {
            return Problem(StatusCodes.Status409Conflict, ProblemCodes.CampaignNotUnsubmittedDraft, "Not an unsubmitted draft",
                $"Campaign {code} is {campaign.Status}{(campaign.SubmittedAt is null ? "" : ", submitted")}: only a draft is submitted, once.", "status", code);
        }
        campaign.SubmittedBy = scope.StaffId;
        campaign.SubmittedAt = DateTimeOffset.UtcNow;
        db.Publish(new CampaignSubmitted(campaign.Code, campaign.Kind, campaign.BranchCode, scope.StaffId, scope.Role, campaign.SubmittedAt.Value));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToView(campaign));
    }

    /// <summary>A branch lead of the campaign's branch (or head office) approves a draft.</summary>
    private static async Task<IResult> ApproveAsync(string code, HttpContext http, AcquisitionDbContext db, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        if (scope.Role is not (StaffRoles.BranchLead or StaffRoles.HeadOffice or StaffRoles.Administrator))
        {
            return Problem(StatusCodes.Status403Forbidden, ProblemCodes.ApprovalNeedsBranchLead, "Approval needs a branch lead", "Only the branch lead (or head office) approves a campaign.", null);
        }
        return await TransitionAsync(code, scope, db, CampaignStatus.Draft, CampaignStatus.Approved, c =>
        {
            c.ApprovedBy = scope.StaffId;
            c.ApprovedAt = DateTimeOffset.UtcNow;
        }, ct);
    }

    private static async Task<IResult> LaunchAsync(string code, HttpContext http, AcquisitionDbContext db, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        return await TransitionAsync(code, scope, db, CampaignStatus.Approved, CampaignStatus.Running, c =>
        {
            c.LaunchedAt = DateTimeOffset.UtcNow;
            db.Publish(new CampaignLaunched(c.Code, c.Name, c.Kind, c.BranchCode, c.StartsOn, c.EndsOn, c.Budget, c.LaunchedAt.Value));
        }, ct);
    }

    private static async Task<IResult> CloseAsync(string code, CloseCampaign request, HttpContext http, AcquisitionDbContext db, CancellationToken ct) =>
        await TransitionAsync(code, DataScope.Of(http.User), db, CampaignStatus.Running, CampaignStatus.Closed, c =>
        {
            c.ClosedAt = DateTimeOffset.UtcNow;
            c.ActualAttendance = request.ActualAttendance ?? c.ActualAttendance;
        }, ct);

    private static async Task<IResult> TransitionAsync(
        string code, DataScope scope, AcquisitionDbContext db, CampaignStatus from, CampaignStatus to, Action<Campaign> apply, CancellationToken ct)
    {
        var campaign = await db.Campaigns.InBranchesOf(scope).SingleOrDefaultAsync(c => c.Code == code, ct);
        if (campaign is null)
        {
            return TypedResults.NotFound();
        }
        if (campaign.Status != from)
        {
            return Problem(StatusCodes.Status409Conflict, ProblemCodes.CampaignWrongStatus, $"Campaign is {campaign.Status}",
                $"Campaign {code} must be {from} to become {to}; it is {campaign.Status}.", "status", code);
        }
        campaign.Status = to;
        apply(campaign);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToView(campaign));
    }

    private static async Task<IResult> RecordCostAsync(string code, RecordCost request, HttpContext http, AcquisitionDbContext db, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        var campaign = await db.Campaigns.AsNoTracking().InBranchesOf(scope).SingleOrDefaultAsync(c => c.Code == code, ct);
        if (campaign is null)
        {
            return TypedResults.NotFound();
        }
        if (campaign.Status == CampaignStatus.Draft)
        {
            return Problem(StatusCodes.Status409Conflict, ProblemCodes.CampaignNotApproved, "Campaign not approved", $"Costs are booked once campaign {code} is approved.", "status", code);
        }
        var cost = new CampaignCost
        {
            Id = Guid.CreateVersion7(), CampaignCode = code, Amount = request.Amount, Category = request.Category,
            Channel = request.Channel ?? DefaultCostChannel(campaign), IncurredOn = request.IncurredOn, RecordedBy = scope.StaffId,
            RecordedAt = DateTimeOffset.UtcNow,
        };
        db.CampaignCosts.Add(cost);
        db.Publish(new CampaignCostRecorded(cost.Id, code, campaign.BranchCode, cost.Amount, cost.Category, cost.IncurredOn));
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/campaigns/{code}", new CostView(cost.Id, cost.Amount, cost.Category, cost.IncurredOn, cost.RecordedBy, cost.Channel));
    }

    /// <summary>
    /// Where a cost goes when the booking names no channel: an event's and a partner's to their own
    /// channel, a targeted campaign's to staff outreach.
    /// </summary>
    public static string DefaultCostChannel(Campaign campaign) => campaign.Kind switch
    {
        CampaignKinds.CommunityEvent => "community-event",
        CampaignKinds.Partner => "partner",
        _ => "staff",
    };

    /// <summary>
    /// A targeted campaign to existing customers (known from CustomerRegistered): the audience given by
    /// customer numbers, or the whole branch; the holdout is chosen by CampaignHoldout (deterministic),
    /// and Insights learns both groups from CampaignAudienceAssigned, in chunks.
    /// </summary>
    private static async Task<IResult> AssignAudienceAsync(string code, AssignAudience request, HttpContext http, AcquisitionDbContext db, CancellationToken ct)
    {
        const int chunkSize = 5_000;
        var scope = DataScope.Of(http.User);
        var campaign = await db.Campaigns.InBranchesOf(scope).SingleOrDefaultAsync(c => c.Code == code, ct);
        if (campaign is null)
        {
            return TypedResults.NotFound();
        }
        if (campaign.Kind != CampaignKinds.Targeted)
        {
            return Problem(StatusCodes.Status409Conflict, ProblemCodes.CampaignNotTargeted, "Not a targeted campaign", "Only a targeted campaign has an audience of existing customers.", "kind", code);
        }
        if (await db.CampaignAudience.AnyAsync(m => m.CampaignCode == code, ct))
        {
            return Problem(StatusCodes.Status409Conflict, ProblemCodes.AudienceAlreadyAssigned, "Audience already assigned", $"Campaign {code} has its audience; it is fixed once assigned (the holdout must not move).", "audience", code);
        }
        var customers = db.ExistingCustomers.AsNoTracking();
        if (request.CustomerNumbers is { Count: > 0 } numbers)
        {
            customers = customers.Where(c => numbers.Contains(c.CustomerNumber));
        }
        else if (!request.WholeBranch)
        {
            return FieldErrors.Problem(nameof(AssignAudience.CustomerNumbers), FieldReasons.Required, "Give the customer numbers, or WholeBranch.");
        }
        else
        {
            customers = customers.Where(c => c.BranchCode == campaign.BranchCode);
        }
        var found = await customers.Select(c => new { c.CustomerId, c.CustomerNumber, c.BranchCode }).ToListAsync(ct);
        if (request.CustomerNumbers is { Count: > 0 } asked && found.Count < asked.Distinct().Count())
        {
            var missing = asked.Except(found.Select(f => f.CustomerNumber)).Take(20).ToList();
            var unknown = asked.Distinct().Count() - found.Count;
            return FieldErrors.Problem(nameof(AssignAudience.CustomerNumbers), FieldReasons.UnknownCustomers,
                $"{unknown} customer numbers are not known customers, e.g. {string.Join(", ", missing)}.", ("count", unknown));
        }
        // An audience holds only customers the caller may see: a branch lead's campaign their own branch's
        // book, head office's network campaign any branch's. A number outside the caller's scope refuses the
        // whole request, so an audience cannot pull in, or reveal, another branch's book.
        if (found.Where(c => !scope.CanSeeBranch(c.BranchCode)).Select(c => c.CustomerNumber).Take(20).ToList() is { Count: > 0 } foreign)
        {
            return Problem(StatusCodes.Status403Forbidden, ProblemCodes.CustomersOfAnotherBranch, "Customers of another branch",
                $"{found.Count(c => !scope.CanSeeBranch(c.BranchCode))} customer numbers are customers of branches outside your scope, e.g. {string.Join(", ", foreign)}.",
                nameof(AssignAudience.CustomerNumbers));
        }
        if (request.HoldoutFraction is { } fraction)
        {
            campaign.HoldoutFraction = fraction; // fixed from here on: the audience is drawn once
        }
        var members = found.Select(c => new CampaignAudienceMember
        {
            CampaignCode = code, CustomerId = c.CustomerId, BranchCode = c.BranchCode,
            IsControl = CampaignHoldout.IsControl(code, c.CustomerId, campaign.HoldoutFraction),
        }).ToList();
        db.CampaignAudience.AddRange(members);
        var chunks = 0;
        foreach (var branch in members.GroupBy(m => m.BranchCode))
        {
            var parts = branch.Chunk(chunkSize).ToList();
            for (var i = 0; i < parts.Count; i++)
            {
                db.Publish(new CampaignAudienceAssigned(code, branch.Key, campaign.StartsOn, i + 1, parts.Count,
                    parts[i].Where(m => !m.IsControl).Select(m => m.CustomerId).ToList(),
                    parts[i].Where(m => m.IsControl).Select(m => m.CustomerId).ToList()));
                chunks++;
            }
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new AudienceAssigned(members.Count(m => !m.IsControl), members.Count(m => m.IsControl), chunks));
    }

    /// <summary>
    /// The treated customers of a campaign's audience, one list per manager (a manager sees their own list
    /// only). Held-out customers are never on a worklist: the query reads the treated members only. An
    /// audience may span branches (head office draws it by customer number): each caller sees the
    /// customers of the branches in their scope only, even on a campaign their own branch runs.
    /// </summary>
    private static async Task<IResult> WorklistsAsync(string code, HttpContext http, AcquisitionDbContext db, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        if (!await db.Campaigns.AsNoTracking().InBranchesOf(scope).AnyAsync(c => c.Code == code, ct))
        {
            return TypedResults.NotFound();
        }
        var rows = await (
            from m in db.CampaignAudience.AsNoTracking()
            where m.CampaignCode == code && !m.IsControl
            join c in db.ExistingCustomers.AsNoTracking() on m.CustomerId equals c.CustomerId
            join r in db.CustomerManagers.AsNoTracking() on m.CustomerId equals r.CustomerId into managed
            from r in managed.DefaultIfEmpty()
            select new { Manager = r == null ? null : r.RelationshipManagerId, c.CustomerId, c.CustomerNumber, c.Tier, c.BranchCode })
            .ToListAsync(ct);
        rows = rows.Where(r => scope.CanSeeBranch(r.BranchCode)).ToList();
        if (scope.Role == StaffRoles.RelationshipManager)
        {
            rows = rows.Where(r => r.Manager == scope.StaffId).ToList();
        }
        return TypedResults.Ok(rows.GroupBy(r => r.Manager)
            .OrderBy(g => g.Key is null).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new Worklist(g.Key, g.OrderBy(r => r.CustomerNumber, StringComparer.Ordinal)
                .Select(r => new WorklistCustomer(r.CustomerId, r.CustomerNumber, r.Tier)).ToList()))
            .ToList());
    }

    /// <summary>A coded refusal; <paramref name="campaignCode"/>, where given, is named in the portal's words.</summary>
    private static IResult Problem(int status, string code, string title, string detail, string? field, string? campaignCode = null) =>
        CodedProblems.Problem(status, code, title, detail, field,
            campaignCode is null ? null : [new("campaignCode", campaignCode)]);

    private static CampaignView ToView(Campaign c) => new(
        c.Code, c.Name, c.Kind, c.BranchCode, c.Status.ToString(), c.Budget, c.StartsOn, c.EndsOn, c.Staff, c.Segment, c.Channel, c.Script,
        c.HoldoutFraction, c.Place, c.Capacity, c.ExpectedAttendance, c.ActualAttendance, c.PartnerCode, c.CostTerms, c.CreatedBy,
        c.ApprovedBy, c.ApprovedAt, c.SubmittedBy, c.SubmittedAt, c.ClosedAt);
}
