using System.ComponentModel.DataAnnotations;
using AutoMapper.QueryableExtensions;
using BankClientele.Contracts.CustomerCare;
using BankClientele.CustomerCare.Book;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Privacy;
using BankClientele.Hosting.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using IConfigurationProvider = AutoMapper.IConfigurationProvider;
using BankClientele.Hosting.Refusals;

namespace BankClientele.CustomerCare.Revisits;

/// <summary>A revisit as a manager sees it: the customer masked, the reason and how urgent it is.</summary>
public sealed record RevisitView(
    Guid Id, Guid CustomerId, string CustomerName, string Tier, string BranchCode, string? RelationshipManagerId,
    string Reason, string? Detail, DateOnly DueOn, int Priority, string Status, int EscalationLevel,
    DateTimeOffset? CompletedAt, string? Channel, string? Outcome, string? Notes, bool? OnTime);

public sealed record LobbyAlertView(Guid VisitId, Guid CustomerId, string CustomerName, string Tier, string BranchCode, string ServiceType, DateTimeOffset ArrivedAt);

/// <summary>A manager's day: what is overdue, due today, the next seven days, and who is in the lobby.</summary>
public sealed record AgendaView(DateOnly Date, List<RevisitView> Overdue, List<RevisitView> Today, List<RevisitView> Upcoming, List<LobbyAlertView> LobbyAlerts);

/// <summary>
/// Logging a visit. <see cref="NextFollowUpOn"/> becomes the customer's next scheduled revisit.
/// <see cref="NextStep"/> says what the follow-up is for (shown on it). <see cref="CompletedOn"/> backdates it: administrators only (visit history from another system, the demo).
/// </summary>
public sealed record CompleteRevisit(
    [property: Required] string Channel,
    [property: Required, StringLength(100, MinimumLength = 1)] string Outcome,
    [property: StringLength(2000)] string? Notes,
    DateOnly? NextFollowUpOn,
    DateOnly? CompletedOn = null,
    [property: StringLength(200)] string? NextStep = null);

/// <summary>
/// A visit nobody scheduled (a customer who drops in, a call they made): logged as done at once.
/// <see cref="NextFollowUpOn"/> becomes the customer's next scheduled revisit, as for a scheduled one, and
/// <see cref="NextStep"/> what it is for.
/// </summary>
public sealed record LogVisit(
    Guid CustomerId,
    [property: Required] string Channel,
    [property: Required, StringLength(100, MinimumLength = 1)] string Outcome,
    [property: StringLength(2000)] string? Notes,
    DateOnly? NextFollowUpOn,
    [property: StringLength(200)] string? NextStep = null);

public sealed record OnTimeRate(string Key, string BranchCode, int Completed, int OnTime, int OpenOverdue, double Rate);

public sealed record OnTimeView(DateOnly From, DateOnly To, List<OnTimeRate> Managers, List<OnTimeRate> Branches);

public static class RevisitEndpoints
{
    public static IEndpointRouteBuilder MapRevisitEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/agenda", AgendaAsync).WithTags("Revisits");
        var revisits = app.MapGroup("/api/revisits").WithTags("Revisits");
        revisits.MapGet("/", ListAsync);
        revisits.MapPost("/", LogAsync);
        revisits.MapPost("/{id:guid}/completion", CompleteAsync);
        revisits.MapGet("/on-time", OnTimeAsync);
        revisits.MapPost("/run", RunAsync).RequireAuthorization(policy => policy.RequireRole(StaffRoles.Administrator));
        return app;
    }

    /// <summary>
    /// The agenda of a manager (the caller, or <paramref name="staffId"/> for a lead or head office):
    /// overdue, today and the next seven days, each ordered by priority; and today's lobby alerts.
    /// </summary>
    private static async Task<IResult> AgendaAsync(string? staffId, HttpContext http, CustomerCareDbContext db, IConfigurationProvider mapping, TimeProvider clock, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        var manager = scope.Role == StaffRoles.RelationshipManager ? scope.StaffId : staffId;
        var today = BranchClock.DayOf(clock.GetUtcNow());
        var horizon = today.AddDays(7);
        var query = db.Revisits.AsNoTracking().VisibleTo(scope).Where(r => r.Status == RevisitStatuses.Open && r.DueOn <= horizon);
        if (manager is not null)
        {
            query = query.Where(r => r.RelationshipManagerId == manager);
        }
        var rows = await Views(db, mapping, query.OrderBy(r => r.DueOn).Take(2000)).ToListAsync(ct);
        var ordered = rows.Select(r => Finish(r, today))
            .OrderByDescending(r => r.Priority).ThenBy(r => r.DueOn).ToList();

        var since = clock.GetUtcNow().AddHours(-12);
        var alerts = db.LobbyAlerts.AsNoTracking().VisibleTo(scope).Where(a => a.ArrivedAt >= since);
        if (manager is not null)
        {
            alerts = alerts.Where(a => a.RelationshipManagerId == manager);
        }
        var lobby = await alerts.OrderByDescending(a => a.ArrivedAt).Take(50)
            .ProjectTo<LobbyAlertView>(mapping, new { customers = db.Customers }).ToListAsync(ct);
        return TypedResults.Ok(new AgendaView(
            today,
            ordered.Where(r => r.DueOn < today).ToList(),
            ordered.Where(r => r.DueOn == today).ToList(),
            ordered.Where(r => r.DueOn > today).ToList(),
            lobby.Select(a => a with { CustomerName = PersonalData.MaskName(a.CustomerName) }).ToList()));
    }

    /// <summary>Revisits in scope: a customer's visit history, a manager's, or the overdue ones of a branch.</summary>
    private static async Task<IResult> ListAsync(Guid? customerId, string? staffId, string? status, bool? overdue, HttpContext http,
        CustomerCareDbContext db, IConfigurationProvider mapping, TimeProvider clock, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        var today = BranchClock.DayOf(clock.GetUtcNow());
        var query = db.Revisits.AsNoTracking().VisibleTo(scope);
        if (customerId is not null)
        {
            // The open ones by the one-open index, the closed ones by the history index (both partial).
            query = query.Where(r => r.CustomerId == customerId && r.Status == RevisitStatuses.Open)
                .Concat(query.Where(r => r.CustomerId == customerId && r.Status != RevisitStatuses.Open));
        }
        if (staffId is not null)
        {
            query = query.Where(r => r.RelationshipManagerId == staffId);
        }
        if (status is not null)
        {
            query = query.Where(r => r.Status == status);
        }
        if (overdue == true)
        {
            query = query.Where(r => r.Status == RevisitStatuses.Open && r.DueOn < today);
        }
        var rows = await Views(db, mapping, query.OrderByDescending(r => r.CompletedAt ?? r.CreatedAt).Take(500)).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(r => Finish(r, today)));
    }

    /// <summary>
    /// Logs the visit: channel, outcome, notes; publishes RevisitCompleted (with whether it was on
    /// time) through the outbox; the follow-up date becomes the next scheduled revisit.
    /// </summary>
    private static async Task<IResult> CompleteAsync(Guid id, CompleteRevisit request, HttpContext http, CustomerCareDbContext db, IConfigurationProvider mapping, TimeProvider clock, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        var now = clock.GetUtcNow();
        var today = BranchClock.DayOf(now);
        if (request.CompletedOn is { } completedOn)
        {
            if (scope.Role != StaffRoles.Administrator || completedOn > today)
            {
                return FieldErrors.Problem("completedOn", FieldReasons.NoBackdating, "Only administrators may backdate a visit, and not into the future.");
            }
            now = new DateTimeOffset(completedOn.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero);
        }
        if (!RevisitChannels.All.Contains(request.Channel))
        {
            return FieldErrors.Problem("channel", FieldReasons.NotOneOf, $"One of: {string.Join(", ", RevisitChannels.All)}.");
        }
        if (request.NextFollowUpOn is { } next && (next <= today || next > today.AddYears(1)) && request.CompletedOn is null)
        {
            return FieldErrors.Problem("nextFollowUpOn", FieldReasons.NotInComingYear, "A date after today and within a year.");
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Locked, so two submissions of the same visit cannot both complete it.
        var revisit = await db.Revisits.FromSql($"SELECT * FROM revisits WHERE id = {id} FOR UPDATE").VisibleTo(scope).SingleOrDefaultAsync(ct);
        if (revisit is null)
        {
            return TypedResults.NotFound();
        }
        if (revisit.Status != RevisitStatuses.Open)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Revisit already closed",
                detail: $"This revisit is {revisit.Status}.",
                extensions: new Dictionary<string, object?> { ["code"] = ProblemCodes.RevisitAlreadyClosed });
        }
        revisit.Status = RevisitStatuses.Completed;
        revisit.CompletedAt = now;
        revisit.CompletedBy = scope.StaffId;
        revisit.Channel = request.Channel;
        // Free text: a number typed into it is masked before it is kept or published.
        revisit.Outcome = FreeText.MaskNumbers(request.Outcome.Trim())!;
        revisit.Notes = FreeText.MaskNumbers(request.Notes?.Trim());
        revisit.OnTime = BranchClock.DayOf(now) <= revisit.DueOn;
        db.Publish(new RevisitCompleted(revisit.Id, revisit.CustomerId, revisit.BranchCode, revisit.RelationshipManagerId ?? scope.StaffId,
            revisit.Reason, revisit.Channel, revisit.Outcome, revisit.DueOn, now, revisit.OnTime.Value));
        await db.SaveChangesAsync(ct);
        if (request.NextFollowUpOn is { } followUp)
        {
            await ScheduleFollowUpAsync(db, revisit, followUp, request.NextStep, ct);
        }
        await tx.CommitAsync(ct);
        return TypedResults.Ok(Finish(await Views(db, mapping, db.Revisits.AsNoTracking().Where(r => r.Id == id)).SingleAsync(ct), today));
    }

    /// <summary>
    /// Logs a visit nobody scheduled (reason <see cref="RevisitReasons.Unscheduled"/>), completed now and on
    /// time; publishes RevisitCompleted like a scheduled one, and the follow-up becomes the next revisit.
    /// </summary>
    private static async Task<IResult> LogAsync(LogVisit request, HttpContext http, CustomerCareDbContext db, IConfigurationProvider mapping, TimeProvider clock, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        var now = clock.GetUtcNow();
        var today = BranchClock.DayOf(now);
        var problems = new FieldErrors()
            .AddIf(!RevisitChannels.All.Contains(request.Channel), "channel", FieldReasons.NotOneOf, $"One of: {string.Join(", ", RevisitChannels.All)}.")
            .AddIf(request.NextFollowUpOn is { } next && (next <= today || next > today.AddYears(1)), "nextFollowUpOn", FieldReasons.NotInComingYear,
                "A date after today and within a year.");
        var customer = await db.Customers.AsNoTracking().VisibleTo(scope).SingleOrDefaultAsync(c => c.Id == request.CustomerId, ct);
        problems.AddIf(customer is null, "customerId", FieldReasons.Unknown, "No such customer among yours.");
        if (problems.Any)
        {
            return problems.ToProblem();
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var revisit = new Revisit
        {
            Id = Guid.CreateVersion7(), CustomerId = customer!.Id, BranchCode = customer.BranchCode,
            RelationshipManagerId = customer.RelationshipManagerId ?? scope.StaffId, Reason = RevisitReasons.Unscheduled,
            DueOn = today, CreatedAt = now, Status = RevisitStatuses.Completed, CompletedAt = now, CompletedBy = scope.StaffId,
            Channel = request.Channel, Outcome = FreeText.MaskNumbers(request.Outcome.Trim())!, Notes = FreeText.MaskNumbers(request.Notes?.Trim()), OnTime = true,
        };
        db.Revisits.Add(revisit);
        db.Publish(new RevisitCompleted(revisit.Id, revisit.CustomerId, revisit.BranchCode, revisit.RelationshipManagerId ?? scope.StaffId,
            revisit.Reason, revisit.Channel, revisit.Outcome, revisit.DueOn, now, true));
        await db.SaveChangesAsync(ct);
        if (request.NextFollowUpOn is { } followUp)
        {
            await ScheduleFollowUpAsync(db, revisit, followUp, request.NextStep, ct);
        }
        await tx.CommitAsync(ct);
        return TypedResults.Created($"/api/revisits?customerId={revisit.CustomerId}",
            Finish(await Views(db, mapping, db.Revisits.AsNoTracking().Where(r => r.Id == revisit.Id)).SingleAsync(ct), today));
    }

    /// <summary>The follow-up is the next scheduled visit: it replaces a later cadence date, if one is open.</summary>
    private static async Task ScheduleFollowUpAsync(CustomerCareDbContext db, Revisit visit, DateOnly followUp, string? nextStep, CancellationToken ct)
    {
        var detail = string.IsNullOrWhiteSpace(nextStep) ? "follow-up" : FreeText.MaskNumbers(nextStep.Trim())!;
        var moved = await db.Revisits
            .Where(r => r.CustomerId == visit.CustomerId && r.Reason == RevisitReasons.Scheduled && r.Status == RevisitStatuses.Open)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.DueOn, followUp).SetProperty(r => r.Detail, detail).SetProperty(r => r.EscalationLevel, 0), ct);
        if (moved == 0)
        {
            await RevisitInserts.OpenAsync(db, visit.CustomerId, visit.BranchCode, visit.RelationshipManagerId,
                RevisitReasons.Scheduled, detail, followUp, ct);
        }
    }

    /// <summary>On-time completion per manager and per branch over a period (default: the last 90 days).</summary>
    private static async Task<IResult> OnTimeAsync(DateOnly? from, DateOnly? to, HttpContext http, CustomerCareDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        var today = BranchClock.DayOf(clock.GetUtcNow());
        var end = to ?? today;
        var start = from ?? end.AddDays(-90);
        if (start > end)
        {
            return FieldErrors.Problem("from", FieldReasons.AfterEnd, "On or before 'to'.");
        }
        var scoped = db.Revisits.AsNoTracking().VisibleTo(scope);
        var completed = await scoped
            .Where(r => r.Status == RevisitStatuses.Completed && r.DueOn >= start && r.DueOn <= end && r.RelationshipManagerId != null)
            .GroupBy(r => new { r.BranchCode, Manager = r.RelationshipManagerId! })
            .Select(g => new { g.Key.BranchCode, g.Key.Manager, Completed = g.Count(), OnTime = g.Count(r => r.OnTime == true) })
            .ToListAsync(ct);
        var overdue = await scoped
            .Where(r => r.Status == RevisitStatuses.Open && r.DueOn < today && r.RelationshipManagerId != null)
            .GroupBy(r => new { r.BranchCode, Manager = r.RelationshipManagerId! })
            .Select(g => new { g.Key.BranchCode, g.Key.Manager, Count = g.Count() })
            .ToListAsync(ct);
        var keys = completed.Select(c => (c.BranchCode, c.Manager)).Union(overdue.Select(o => (o.BranchCode, o.Manager))).ToList();
        var managers = keys.Select(k =>
        {
            var c = completed.SingleOrDefault(x => x.BranchCode == k.BranchCode && x.Manager == k.Manager);
            var o = overdue.SingleOrDefault(x => x.BranchCode == k.BranchCode && x.Manager == k.Manager);
            return Rate(k.Manager, k.BranchCode, c?.Completed ?? 0, c?.OnTime ?? 0, o?.Count ?? 0);
        }).OrderBy(r => r.BranchCode).ThenBy(r => r.Key).ToList();
        var branches = managers.GroupBy(m => m.BranchCode)
            .Select(g => Rate(g.Key, g.Key, g.Sum(m => m.Completed), g.Sum(m => m.OnTime), g.Sum(m => m.OpenOverdue)))
            .ToList();
        return TypedResults.Ok(new OnTimeView(start, end, managers, branches));
    }

    /// <summary>Runs the nightly pass now (administrators: the demo seed, operations), optionally as of a date.</summary>
    private static async Task<IResult> RunAsync(DateOnly? asOf, NightlyRevisitJob job, CancellationToken ct) =>
        TypedResults.Ok(await job.RunAsync(asOf, ct));

    private static OnTimeRate Rate(string key, string branch, int completed, int onTime, int overdue) =>
        new(key, branch, completed, onTime, overdue, completed == 0 ? 0 : Math.Round((double)onTime / completed, 4));

    /// <summary>
    /// The customer's name masked, numbers in the free text masked (rows written before the rule),
    /// and the priority as of today.
    /// </summary>
    private static RevisitView Finish(RevisitView r, DateOnly today) =>
        r with
        {
            CustomerName = PersonalData.MaskName(r.CustomerName),
            Detail = FreeText.MaskNumbers(r.Detail),
            Outcome = FreeText.MaskNumbers(r.Outcome),
            Notes = FreeText.MaskNumbers(r.Notes),
            Priority = RevisitRules.Priority(r.Reason, r.Tier, r.DueOn, today),
        };

    /// <summary>The views of these revisits, projected in SQL by <see cref="RevisitProfile"/>.</summary>
    private static IQueryable<RevisitView> Views(CustomerCareDbContext db, IConfigurationProvider mapping, IQueryable<Revisit> revisits) =>
        revisits.ProjectTo<RevisitView>(mapping, new { customers = db.Customers });
}
