using System.ComponentModel.DataAnnotations;
using BankClientele.Hosting.Time;
using BankClientele.Contracts.FootTraffic;
using BankClientele.FootTraffic.Profile;
using BankClientele.FootTraffic.Staffing;
using BankClientele.FootTraffic.Visits;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Customers;
using BankClientele.Hosting.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using BankClientele.Hosting.Refusals;

namespace BankClientele.FootTraffic.Lobby;

public sealed record PlanLobbyEvent(
    [property: Required, StringLength(20, MinimumLength = 1)] string BranchCode,
    [property: Required, StringLength(200, MinimumLength = 1)] string Theme,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    [property: Range(1, 10_000)] int Capacity,
    [property: Range(0, 100_000_000)] decimal Budget,
    List<string>? Staff,
    List<string>? TargetSegments,
    List<Guid>? CustomerIds,
    List<Guid>? ProspectIds,
    [property: StringLength(40)] string? CampaignCode = null);

public sealed record CheckInAttendee(Guid? CustomerId, [property: StringLength(20), RegularExpression("^[0-9]+$"), PatternReason(FieldReasons.DigitsOnly)] string? CustomerNumber, Guid? ProspectId, Guid? WalkInId, DateTimeOffset? At);

public sealed record CaptureWalkIn(
    [property: Required, StringLength(20, MinimumLength = 1)] string BranchCode,
    [property: Required, StringLength(50, MinimumLength = 1)] string FullName,
    [property: Required, RegularExpression(@"^\+?[0-9 \-]{7,20}$"), PatternReason(FieldReasons.NotAPhone)] string Phone,
    [property: StringLength(100)] string? Interest,
    Guid? LobbyEventId,
    bool Consented,
    [property: Required, StringLength(1000, MinimumLength = 10)] string ConsentWording,
    DateTimeOffset? ConsentedAt);

public sealed record LobbyEventResults(int Invited, int Attended, int LeadsCaptured, int AccountsOpened, int ProductsSold, decimal DepositsRaised, double ConversionRate, decimal? CostPerConversion);

public sealed record LobbyEventView(
    Guid Id, string BranchCode, string Theme, DateTimeOffset StartsAt, DateTimeOffset EndsAt, int Capacity, decimal Budget,
    IReadOnlyList<string> Staff, IReadOnlyList<string> TargetSegments, bool TargetsProspects, LobbyEventResults Results,
    string? CampaignCode = null, int HeldOutExcluded = 0);

public sealed record WalkInView(Guid Id, string BranchCode, string Name, string Phone, string? Interest, Guid? LobbyEventId, DateTimeOffset IdentifiedAt, bool Converted);

public sealed record WalkInWeek(string BranchCode, DateOnly WeekStart, int WalkIns, int Converted, double ConversionRate);

/// <summary>
/// Someone on an event's guest list: an invited customer (number and tier from the directory) or prospect,
/// or a walk-in captured for the event (masked name); checked in or not yet.
/// </summary>
public sealed record LobbyGuest(string Kind, Guid? CustomerId, string? CustomerNumber, string? Tier, Guid? ProspectId, Guid? WalkInId, string? NameMasked,
    bool Invited, DateTimeOffset? CheckedInAt);

public static class LobbyEndpoints
{
    public static IEndpointRouteBuilder MapLobbyEndpoints(this IEndpointRouteBuilder app)
    {
        var events = app.MapGroup("/api/lobby-events").WithTags("Lobby events");
        events.MapGet("/", ListAsync);
        events.MapGet("/{id:guid}", GetAsync);
        events.MapPost("/", PlanAsync);
        events.MapPost("/{id:guid}/attendance", CheckInAsync);
        events.MapGet("/{id:guid}/guests", GuestsAsync);
        events.MapGet("/slots", SlotsAsync);
        var walkIns = app.MapGroup("/api/walk-ins").WithTags("Walk-ins");
        walkIns.MapPost("/", CaptureAsync);
        walkIns.MapGet("/", ListWalkInsAsync);
        walkIns.MapGet("/conversion", ConversionAsync);
        walkIns.MapGet("/conversion/by-hour", WalkInFunnel.ByHourAsync);
        walkIns.MapGet("/conversion/by-staff", WalkInFunnel.ByStaffAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext http, FootTrafficDbContext db, string? branchCode, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        var query = db.LobbyEvents.AsNoTracking().InBranchesOf(DataScope.Of(http.User));
        if (branchCode is not null) { query = query.Where(e => e.BranchCode == branchCode); }
        if (from is { } f) { var u = f.ToUniversalTime(); query = query.Where(e => e.EndsAt >= u); }
        if (to is { } t) { var u = t.ToUniversalTime(); query = query.Where(e => e.StartsAt < u); }
        var list = await query.OrderByDescending(e => e.StartsAt).Take(200).ToListAsync(ct);
        var results = await ResultsAsync(db, list.Select(e => e.Id).ToList(), ct);
        return TypedResults.Ok(list.Select(e => View(e, results[e.Id])).ToList());
    }

    private static async Task<IResult> GetAsync(Guid id, HttpContext http, FootTrafficDbContext db, CancellationToken ct)
    {
        var lobbyEvent = await db.LobbyEvents.AsNoTracking().InBranchesOf(DataScope.Of(http.User)).FirstOrDefaultAsync(e => e.Id == id, ct);
        return lobbyEvent is null ? TypedResults.NotFound() : TypedResults.Ok(View(lobbyEvent, (await ResultsAsync(db, [id], ct))[id]));
    }

    /// <summary>The event as served: its theme (free text) with numbers masked, also in themes stored before the rule.</summary>
    private static LobbyEventView View(LobbyEvent e, LobbyEventResults r) =>
        new(e.Id, e.BranchCode, FreeText.MaskNumbers(e.Theme)!, e.StartsAt, e.EndsAt, e.Capacity, e.Budget, e.Staff, e.TargetSegments, e.TargetsProspects, r,
            e.CampaignCode, e.HeldOutExcluded);

    /// <summary>Invited, attended, leads, accounts, products and deposits per event, counted in the database.</summary>
    public static async Task<Dictionary<Guid, LobbyEventResults>> ResultsAsync(FootTrafficDbContext db, List<Guid> ids, CancellationToken ct)
    {
        var invited = await db.LobbyInvitations.Where(i => ids.Contains(i.LobbyEventId)).GroupBy(i => i.LobbyEventId).Select(g => new { g.Key, N = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.N, ct);
        var attended = await db.LobbyAttendances.Where(a => ids.Contains(a.LobbyEventId)).GroupBy(a => a.LobbyEventId).Select(g => new { g.Key, N = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.N, ct);
        var leads = await db.WalkIns.Where(w => w.LobbyEventId != null && ids.Contains(w.LobbyEventId.Value)).GroupBy(w => w.LobbyEventId!.Value).Select(g => new { g.Key, N = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.N, ct);
        var outcomes = await db.LobbyOutcomes.Where(o => ids.Contains(o.LobbyEventId)).GroupBy(o => new { o.LobbyEventId, o.Kind })
            .Select(g => new { g.Key.LobbyEventId, g.Key.Kind, N = g.Count(), Amount = g.Sum(o => o.Amount) }).ToListAsync(ct);
        var budgets = await db.LobbyEvents.Where(e => ids.Contains(e.Id)).ToDictionaryAsync(e => e.Id, e => e.Budget, ct);
        return ids.ToDictionary(id => id, id =>
        {
            var accounts = outcomes.Where(o => o.LobbyEventId == id && o.Kind == LobbyOutcome.AccountOpened).Sum(o => o.N);
            var products = outcomes.Where(o => o.LobbyEventId == id && o.Kind == LobbyOutcome.ProductSold).Sum(o => o.N);
            var deposits = outcomes.Where(o => o.LobbyEventId == id).Sum(o => o.Amount);
            var came = attended.GetValueOrDefault(id);
            return Results(invited.GetValueOrDefault(id), came, leads.GetValueOrDefault(id), accounts, products, deposits, budgets.GetValueOrDefault(id));
        });
    }

    /// <summary>Conversions are accounts opened plus products sold; the rate is per attendee, the cost the budget per conversion.</summary>
    public static LobbyEventResults Results(int invited, int attended, int leads, int accounts, int products, decimal deposits, decimal budget)
    {
        var conversions = accounts + products;
        return new LobbyEventResults(invited, attended, leads, accounts, products, deposits,
            attended == 0 ? 0 : Math.Round((double)conversions / attended, 4),
            conversions == 0 ? null : Math.Round(budget / conversions, 2));
    }

    private static async Task<IResult> PlanAsync(PlanLobbyEvent request, HttpContext http, FootTrafficDbContext db, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        if (!scope.CanSeeBranch(request.BranchCode) || scope.Role == StaffRoles.RelationshipManager)
        {
            return TrafficProblems.OutOfScope(request.BranchCode, nameof(PlanLobbyEvent.BranchCode));
        }
        if (request.EndsAt <= request.StartsAt || request.EndsAt - request.StartsAt > TimeSpan.FromDays(3))
        {
            return TrafficProblems.Invalid(nameof(PlanLobbyEvent.EndsAt), FieldReasons.NotWithinDays, "must be after StartsAt, within three days", ("days", 3));
        }
        var segments = (request.TargetSegments ?? []).Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim()).Distinct().ToList();
        // The theme is free text and travels in every invitation: a number typed into it is stored and sent masked.
        var lobbyEvent = new LobbyEvent
        {
            Id = Guid.CreateVersion7(), BranchCode = request.BranchCode, Theme = FreeText.MaskNumbers(request.Theme)!,
            StartsAt = request.StartsAt.ToUniversalTime(), EndsAt = request.EndsAt.ToUniversalTime(),
            Capacity = request.Capacity, Budget = request.Budget, Staff = request.Staff ?? [], TargetSegments = segments,
            TargetsProspects = request.ProspectIds is { Count: > 0 }, PlannedBy = scope.StaffId, PlannedAt = DateTimeOffset.UtcNow,
            CampaignCode = request.CampaignCode is { Length: > 0 } ? request.CampaignCode : null,
        };
        db.LobbyEvents.Add(lobbyEvent);

        // Existing customers of the branch in a target segment (tier, value segment or lifecycle stage), plus any named.
        var targeted = segments.Count == 0 ? [] : await TargetedCustomersAsync(db, request.BranchCode, segments, ct);
        if (targeted.Count > MaxInvitations)
        {
            return TrafficProblems.Invalid(nameof(PlanLobbyEvent.TargetSegments), FieldReasons.TooManyInvitations, $"more than {MaxInvitations} customers of the branch are in these segments: narrow the target", ("max", MaxInvitations));
        }
        // Named customers and prospects the directories place at another branch are not invited (nor told of the event).
        var named = (request.CustomerIds ?? []).Distinct().ToList();
        var prospects = (request.ProspectIds ?? []).Distinct().ToList();
        if (named.Count > 0 && await db.KnownCustomers.AnyAsync(c => named.Contains(c.CustomerId) && c.BranchCode != request.BranchCode, ct))
        {
            return TrafficProblems.OutOfScope(request.BranchCode, nameof(PlanLobbyEvent.CustomerIds), "Customers of another branch",
                $"Some of the named customers are customers of another branch than {request.BranchCode}.", ProblemCodes.CustomersOfAnotherBranch);
        }
        if (prospects.Count > 0 && await db.KnownProspects.AnyAsync(p => prospects.Contains(p.ProspectId) && p.BranchCode != request.BranchCode, ct))
        {
            return TrafficProblems.OutOfScope(request.BranchCode, nameof(PlanLobbyEvent.ProspectIds), "Prospects of another branch",
                $"Some of the named prospects are prospects of another branch than {request.BranchCode}.", ProblemCodes.ProspectsOfAnotherBranch);
        }
        var customers = targeted.Concat(named).Distinct().ToList();
        // An event held for a campaign is the campaign's contact: its holdout is left off the guest list (and
        // counted, so the planner sees why fewer were invited). An audience unknown here cannot be kept: refused.
        if (lobbyEvent.CampaignCode is { } campaignCode)
        {
            var audience = await CampaignMemberships.CheckAsync(db, campaignCode, customers, ct);
            if (!audience.Known)
            {
                return CampaignMemberships.UnknownCampaignProblem(campaignCode, nameof(PlanLobbyEvent.CampaignCode));
            }
            customers = customers.Where(c => !audience.HeldOut.Contains(c)).ToList();
            lobbyEvent.HeldOutExcluded = audience.HeldOut.Count;
        }
        if (customers.Count + prospects.Count > MaxInvitations)
        {
            return TrafficProblems.Invalid(nameof(PlanLobbyEvent.CustomerIds), FieldReasons.TooManyInvitations, $"at most {MaxInvitations} invitations per event", ("max", MaxInvitations));
        }
        var now = DateTimeOffset.UtcNow;
        foreach (var (customerId, prospectId) in customers.Select(c => ((Guid?)c, (Guid?)null)).Concat(prospects.Select(p => ((Guid?)null, (Guid?)p))))
        {
            var invitation = new LobbyInvitation { Id = Guid.CreateVersion7(), LobbyEventId = lobbyEvent.Id, BranchCode = lobbyEvent.BranchCode, CustomerId = customerId, ProspectId = prospectId, IssuedAt = now };
            db.LobbyInvitations.Add(invitation);
            db.Publish(new LobbyEventInvitationIssued(invitation.Id, lobbyEvent.Id, lobbyEvent.BranchCode, lobbyEvent.Theme, lobbyEvent.StartsAt, lobbyEvent.EndsAt, customerId, prospectId, now,
                lobbyEvent.CampaignCode));
        }
        await db.SaveChangesAsync(ct);
        var results = Results(customers.Count + prospects.Count, 0, 0, 0, 0, 0, lobbyEvent.Budget);
        return TypedResults.Created($"/api/lobby-events/{lobbyEvent.Id}", View(lobbyEvent, results));
    }

    public const int MaxInvitations = 5_000;

    /// <summary>
    /// The branch's customers whose tier, value segment or lifecycle stage is one of <paramref name="segments"/>
    /// (a segmented customer not yet in the directory counts at the branch Insights gave).
    /// </summary>
    public static async Task<List<Guid>> TargetedCustomersAsync(FootTrafficDbContext db, string branchCode, List<string> segments, CancellationToken ct)
    {
        var byTier = db.KnownCustomers.Where(c => c.BranchCode == branchCode && segments.Contains(c.Tier)).Select(c => c.CustomerId);
        var bySegment =
            from s in db.CustomerSegments
            join k in db.KnownCustomers on s.CustomerId equals k.CustomerId into known
            from k in known.DefaultIfEmpty()
            where (k == null ? s.BranchCode : k.BranchCode) == branchCode && (segments.Contains(s.ValueSegment) || segments.Contains(s.LifecycleStage))
            select s.CustomerId;
        return await byTier.Union(bySegment).OrderBy(id => id).Take(MaxInvitations + 1).ToListAsync(ct);
    }

    /// <summary>The event's guests for the door: the invited, the walk-ins captured for it, and whoever checked in; customers first, by number.</summary>
    private static async Task<IResult> GuestsAsync(Guid id, HttpContext http, FootTrafficDbContext db, CancellationToken ct)
    {
        var lobbyEvent = await db.LobbyEvents.AsNoTracking().InBranchesOf(DataScope.Of(http.User)).FirstOrDefaultAsync(e => e.Id == id, ct);
        if (lobbyEvent is null)
        {
            return TypedResults.NotFound();
        }
        var invited = await db.LobbyInvitations.AsNoTracking().Where(i => i.LobbyEventId == id).Select(i => new { i.CustomerId, i.ProspectId }).ToListAsync(ct);
        var came = await db.LobbyAttendances.AsNoTracking().Where(a => a.LobbyEventId == id).Select(a => new { a.CustomerId, a.ProspectId, a.WalkInId, a.CheckedInAt }).ToListAsync(ct);
        var walkIns = await db.WalkIns.AsNoTracking().Where(w => w.LobbyEventId == id || came.Select(a => a.WalkInId).Contains(w.Id))
            .Select(w => new { w.Id, w.NameMasked }).ToListAsync(ct);
        var customerIds = invited.Select(i => i.CustomerId).Concat(came.Select(a => a.CustomerId)).OfType<Guid>().Distinct().ToList();
        var known = await db.KnownCustomers.AsNoTracking().Where(c => customerIds.Contains(c.CustomerId))
            .ToDictionaryAsync(c => c.CustomerId, c => new { c.CustomerNumber, c.Tier }, ct);
        var guests = new List<LobbyGuest>();
        foreach (var customerId in customerIds)
        {
            var k = known.GetValueOrDefault(customerId);
            guests.Add(new LobbyGuest("customer", customerId, k?.CustomerNumber, k?.Tier, null, null, null, invited.Any(i => i.CustomerId == customerId),
                came.Where(a => a.CustomerId == customerId).Select(a => (DateTimeOffset?)a.CheckedInAt).Min()));
        }
        foreach (var prospectId in invited.Select(i => i.ProspectId).Concat(came.Select(a => a.ProspectId)).OfType<Guid>().Distinct())
        {
            guests.Add(new LobbyGuest("prospect", null, null, null, prospectId, null, null, invited.Any(i => i.ProspectId == prospectId),
                came.Where(a => a.ProspectId == prospectId).Select(a => (DateTimeOffset?)a.CheckedInAt).Min()));
        }
        foreach (var walkIn in walkIns)
        {
            guests.Add(new LobbyGuest("walk-in", null, null, null, null, walkIn.Id, walkIn.NameMasked, false,
                came.Where(a => a.WalkInId == walkIn.Id).Select(a => (DateTimeOffset?)a.CheckedInAt).Min()));
        }
        return TypedResults.Ok(guests.OrderBy(g => g.Kind, StringComparer.Ordinal).ThenBy(g => g.CustomerNumber, StringComparer.Ordinal).ToList());
    }

    private static async Task<IResult> CheckInAsync(Guid id, CheckInAttendee request, HttpContext http, FootTrafficDbContext db, CancellationToken ct)
    {
        var lobbyEvent = await db.LobbyEvents.AsNoTracking().InBranchesOf(DataScope.Of(http.User)).FirstOrDefaultAsync(e => e.Id == id, ct);
        if (lobbyEvent is null)
        {
            return TypedResults.NotFound();
        }
        var customerId = request.CustomerId ?? (request.CustomerNumber is { } number ? Hosting.Customers.CustomerIds.FromCustomerNumber(number) : null);
        if ((customerId is null ? 0 : 1) + (request.ProspectId is null ? 0 : 1) + (request.WalkInId is null ? 0 : 1) != 1)
        {
            return TrafficProblems.Invalid(nameof(CheckInAttendee.CustomerId), FieldReasons.ExactlyOne, "give exactly one of CustomerId (or CustomerNumber), ProspectId, WalkInId");
        }
        if (request.WalkInId is { } walkIn && !await db.WalkIns.AnyAsync(w => w.Id == walkIn && w.BranchCode == lobbyEvent.BranchCode, ct))
        {
            return TrafficProblems.Invalid(nameof(CheckInAttendee.WalkInId), FieldReasons.Unknown, "no such walk-in at this branch");
        }
        if (await db.LobbyAttendances.AnyAsync(a => a.LobbyEventId == id && a.CustomerId == customerId && a.ProspectId == request.ProspectId && a.WalkInId == request.WalkInId, ct))
        {
            return TypedResults.Conflict(new { title = "Already checked in" });
        }
        var attendance = new LobbyAttendance
        {
            Id = Guid.CreateVersion7(), LobbyEventId = id, BranchCode = lobbyEvent.BranchCode, CustomerId = customerId,
            ProspectId = request.ProspectId, WalkInId = request.WalkInId, CheckedInAt = request.At?.ToUniversalTime() ?? DateTimeOffset.UtcNow,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var walkInPhone = request.WalkInId is { } w ? await db.WalkIns.Where(x => x.Id == w).Select(x => x.PhoneHash).FirstAsync(ct) : null;
        if (walkInPhone is not null || request.ProspectId is not null)
        {
            await ConversionCredit.LockAsync(db, walkInPhone ?? request.ProspectId!.Value.ToString(), ct);
        }
        db.LobbyAttendances.Add(attendance);
        db.Publish(new LobbyEventAttended(attendance.Id, id, lobbyEvent.BranchCode, customerId, request.ProspectId, request.WalkInId, attendance.CheckedInAt));
        await db.SaveChangesAsync(ct);
        if (walkInPhone is not null || request.ProspectId is not null)
        {
            // A conversion that arrived before this attendance was recorded is credited to the event now.
            await ConversionCredit.ReconsiderAsync(db, walkInPhone, request.ProspectId, ct);
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        return TypedResults.Created($"/api/lobby-events/{id}", attendance.Id);
    }

    private static async Task<IResult> SlotsAsync(HttpContext http, FootTrafficDbContext db, BranchClock clock, IOptions<FootTrafficOptions> options, string? branchCode, string? week, int? hours, int? count, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(branchCode)) { return TrafficProblems.Invalid("branchCode", FieldReasons.Required, "required"); }
        if (!DataScope.Of(http.User).CanSeeBranch(branchCode)) { return TrafficProblems.OutOfScope(branchCode, "branchCode"); }
        if (hours is < 1 or > 8) { return TrafficProblems.Invalid("hours", FieldReasons.OutOfRange, "1 to 8", ("min", 1), ("max", 8)); }
        DateOnly monday;
        if (week is null)
        {
            var today = clock.Today;
            monday = today.AddDays(7 - ((int)today.DayOfWeek + 6) % 7);
        }
        else if (!StaffingEndpoints.TryParseWeek(week, out monday))
        {
            return TrafficProblems.Invalid("week", FieldReasons.NotAWeek, "an ISO week such as 2026-W48");
        }
        var plan = await StaffingEndpoints.PlanOfAsync(db, branchCode, monday, options.Value.ServiceLevel, options.Value.TargetWaitSeconds, ct);
        return TypedResults.Ok(SlotSuggester.Suggest(plan.Hours, hours ?? 2, Math.Clamp(count ?? 5, 1, 20)));
    }

    private static async Task<IResult> CaptureAsync(CaptureWalkIn request, HttpContext http, FootTrafficDbContext db, PersonalDataHash hashes, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        if (!scope.CanSeeBranch(request.BranchCode))
        {
            return TrafficProblems.OutOfScope(request.BranchCode, nameof(CaptureWalkIn.BranchCode));
        }
        if (!request.Consented)
        {
            return TrafficProblems.Invalid(nameof(CaptureWalkIn.Consented), FieldReasons.ConsentRequired, "a walk-in is captured only with their consent");
        }
        var hash = hashes.Phone(request.Phone);
        if (hash is null)
        {
            return TrafficProblems.Invalid(nameof(CaptureWalkIn.Phone), FieldReasons.NotAPhone, "not a phone number");
        }
        // A walk-in entered late from a paper sheet may have opened an account since: then they are a customer
        // now, but were not when they consented, and their conversion is waiting for this record.
        var consentedAt = request.ConsentedAt?.ToUniversalTime() ?? DateTimeOffset.UtcNow;
        if (await db.KnownCustomers.AnyAsync(c => c.PhoneHash == hash, ct)
            && !await db.ProspectConversions.AnyAsync(c => c.PhoneHash == hash && c.ConvertedAt >= consentedAt, ct))
        {
            return TrafficProblems.Invalid(nameof(CaptureWalkIn.Phone), FieldReasons.AlreadyACustomer, "belongs to an existing customer: check them in instead");
        }
        if (request.LobbyEventId is { } eventId && !await db.LobbyEvents.AnyAsync(e => e.Id == eventId && e.BranchCode == request.BranchCode, ct))
        {
            return TrafficProblems.Invalid(nameof(CaptureWalkIn.LobbyEventId), FieldReasons.Unknown, "no such lobby event at this branch");
        }
        if (request.ConsentedAt > DateTimeOffset.UtcNow.AddMinutes(5))
        {
            return TrafficProblems.Invalid(nameof(CaptureWalkIn.ConsentedAt), FieldReasons.InTheFuture, "is in the future");
        }
        // A greeter may enter a paper sign-up sheet later: the visitor was identified when they consented.
        var now = consentedAt;
        var walkIn = new WalkIn
        {
            Id = Guid.CreateVersion7(), BranchCode = request.BranchCode, NameMasked = PersonalData.MaskName(request.FullName),
            PhoneMasked = PersonalData.MaskPhone(request.Phone), PhoneHash = hash, Interest = FreeText.MaskNumbers(request.Interest), GreeterStaffId = scope.StaffId,
            LobbyEventId = request.LobbyEventId, ConsentWording = request.ConsentWording, ConsentedAt = now, IdentifiedAt = now,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await ConversionCredit.LockAsync(db, hash, ct);
        db.WalkIns.Add(walkIn);
        // The phone's hash only: the event carries no name or number.
        db.Publish(new WalkInIdentifiedAsProspectV2(walkIn.Id, walkIn.BranchCode, hash, walkIn.Interest, scope.StaffId,
            request.LobbyEventId, request.ConsentWording, walkIn.ConsentedAt, now));
        await db.SaveChangesAsync(ct);
        // A conversion that arrived before this walk-in was recorded credits the walk-in and its event now.
        await ConversionCredit.ReconsiderAsync(db, hash, null, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Created($"/api/walk-ins/{walkIn.Id}", ViewOf(walkIn));
    }

    /// <summary>The walk-in as served: masked name and phone, their interest (free text) with numbers masked, also when stored before the rule.</summary>
    private static WalkInView ViewOf(WalkIn w) => new(w.Id, w.BranchCode, w.NameMasked, w.PhoneMasked, FreeText.MaskNumbers(w.Interest), w.LobbyEventId, w.IdentifiedAt, w.ConvertedCustomerId is not null);

    private static async Task<IResult> ListWalkInsAsync(HttpContext http, FootTrafficDbContext db, string? branchCode, CancellationToken ct)
    {
        var query = db.WalkIns.AsNoTracking().InBranchesOf(DataScope.Of(http.User));
        if (branchCode is not null) { query = query.Where(w => w.BranchCode == branchCode); }
        var list = await query.OrderByDescending(w => w.IdentifiedAt).Take(500).ToListAsync(ct);
        return TypedResults.Ok(list.Select(ViewOf).ToList());
    }

    /// <summary>Walk-ins captured per branch and ISO week, and how many of them have opened an account since.</summary>
    private static async Task<IResult> ConversionAsync(HttpContext http, FootTrafficDbContext db, string? branchCode, int? weeks, CancellationToken ct)
    {
        if (weeks is < 1 or > 104) { return TrafficProblems.Invalid("weeks", FieldReasons.OutOfRange, "1 to 104", ("min", 1), ("max", 104)); }
        var since = DateTimeOffset.UtcNow.AddDays(-7 * (weeks ?? 12));
        var query = db.WalkIns.AsNoTracking().InBranchesOf(DataScope.Of(http.User)).Where(w => w.IdentifiedAt >= since);
        if (branchCode is not null) { query = query.Where(w => w.BranchCode == branchCode); }
        var rows = await query.Select(w => new { w.BranchCode, w.IdentifiedAt, Converted = w.ConvertedCustomerId != null }).ToListAsync(ct);
        return TypedResults.Ok(rows
            .GroupBy(r => (r.BranchCode, Week: TrafficProfiler.StartOfWeek(BranchClock.DayOf(r.IdentifiedAt))))
            .OrderBy(g => g.Key.BranchCode).ThenBy(g => g.Key.Week)
            .Select(g => new WalkInWeek(g.Key.BranchCode, g.Key.Week, g.Count(), g.Count(r => r.Converted), Math.Round((double)g.Count(r => r.Converted) / g.Count(), 4)))
            .ToList());
    }
}
