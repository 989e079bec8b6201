using BankClientele.Contracts.Imports;
using System.ComponentModel.DataAnnotations;
using BankClientele.Hosting.Time;
using BankClientele.FootTraffic.Profile;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Imports;
using Microsoft.EntityFrameworkCore;
using BankClientele.Hosting.Refusals;

namespace BankClientele.FootTraffic.Visits;

/// <summary>The queue machine issued a ticket; a customer number (card swiped) or phone identifies the customer.</summary>
public sealed record IssueTicket(
    [property: Required, StringLength(20, MinimumLength = 1)] string BranchCode,
    [property: Required, StringLength(20, MinimumLength = 1)] string TicketNumber,
    [property: Required, StringLength(40, MinimumLength = 1)] string ServiceType,
    DateTimeOffset? IssuedAt,
    [property: StringLength(20), RegularExpression("^[0-9]+$"), PatternReason(FieldReasons.DigitsOnly)] string? CustomerNumber,
    [property: StringLength(30)] string? Phone);

/// <summary>A later event of a ticket: called (to <see cref="Counter"/>), started, ended or abandoned.</summary>
public sealed record QueueEvent(
    [property: Required, RegularExpression("^(called|started|ended|abandoned)$")] string Kind,
    DateTimeOffset? At,
    [property: StringLength(10)] string? Counter);

/// <summary>A greeter checked in a visitor without a ticket.</summary>
public sealed record GreeterCheckIn(
    [property: Required, StringLength(20, MinimumLength = 1)] string BranchCode,
    [property: StringLength(20), RegularExpression("^[0-9]+$"), PatternReason(FieldReasons.DigitsOnly)] string? CustomerNumber,
    [property: StringLength(30)] string? Phone,
    [property: StringLength(40)] string? ServiceType,
    DateTimeOffset? At);

public sealed record TicketView(
    Guid Id, string BranchCode, string TicketNumber, string ServiceType, Guid? CustomerId, DateTimeOffset ArrivedAt,
    DateTimeOffset? CalledAt, string? CounterNumber, DateTimeOffset? ServiceStartedAt, DateTimeOffset? ServiceEndedAt, DateTimeOffset? AbandonedAt)
{
    public static TicketView Of(BranchVisit v) => new(v.Id, v.BranchCode, v.TicketNumber, v.ServiceType, v.CustomerId, v.ArrivedAt,
        v.CalledAt, v.CounterNumber, v.ServiceStartedAt, v.ServiceEndedAt, v.AbandonedAt);
}

/// <summary>A ticket in today's queue as the greeter sees it: no personal data, only whether the visitor is a known customer and their tier.</summary>
public sealed record QueueTicket(Guid Id, string TicketNumber, string ServiceType, DateTimeOffset ArrivedAt, bool Identified, string? Tier,
    DateTimeOffset? CalledAt, string? CounterNumber, double WaitedMinutes)
{
    [System.Text.Json.Serialization.JsonIgnore] public bool Ended { get; init; }
    [System.Text.Json.Serialization.JsonIgnore] public bool Abandoned { get; init; }
}

/// <summary>The branch's queue now: who waits, who is being served, and today's average wait of those called.</summary>
public sealed record QueueNow(string BranchCode, DateOnly Day, IReadOnlyList<QueueTicket> Waiting, IReadOnlyList<QueueTicket> Serving,
    int ServedToday, int AbandonedToday, double AverageWaitMinutes);

public static class QueueEndpoints
{
    public static IEndpointRouteBuilder MapQueueEndpoints(this IEndpointRouteBuilder app)
    {
        var queue = app.MapGroup("/api/queue").WithTags("Queue machine");
        queue.MapGet("/", NowAsync);
        queue.MapPost("/tickets", IssueAsync);
        queue.MapPost("/tickets/{id:guid}/events", EventAsync);
        app.MapPost("/api/visits/check-ins", CheckInAsync).WithTags("Branch visits");
        app.MapPost("/api/visits/queue-log", ImportAsync).WithTags("Branch visits").Accepts<string>("text/csv");
        return app;
    }

    /// <summary>Today's (branch-local) queue of a branch: tickets waiting, in service, and the day's average wait.</summary>
    private static async Task<IResult> NowAsync(HttpContext http, FootTrafficDbContext db, BranchClock clock, string? branchCode, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(branchCode))
        {
            return TrafficProblems.Invalid("branchCode", FieldReasons.Required, "required");
        }
        if (!DataScope.Of(http.User).CanSeeBranch(branchCode))
        {
            return TrafficProblems.OutOfScope(branchCode, "branchCode");
        }
        var now = clock.UtcNow;
        var day = clock.Today;
        var (start, end) = (BranchClock.StartOfDay(day).ToUniversalTime(), BranchClock.EndOfDay(day).ToUniversalTime()); // Npgsql takes UTC only
        var visits = await db.Visits.AsNoTracking()
            .Where(v => v.BranchCode == branchCode && v.ArrivedAt >= start && v.ArrivedAt < end)
            .OrderBy(v => v.ArrivedAt)
            .Select(v => new QueueTicket(v.Id, v.TicketNumber, v.ServiceType, v.ArrivedAt, v.CustomerId != null,
                db.KnownCustomers.Where(c => c.CustomerId == v.CustomerId).Select(c => c.Tier).FirstOrDefault(),
                v.CalledAt ?? v.ServiceStartedAt, v.CounterNumber, 0) { Ended = v.ServiceEndedAt != null, Abandoned = v.AbandonedAt != null })
            .ToListAsync(ct);
        // Waited: until called, or until now for those still waiting.
        visits = visits.Select(v => v with { WaitedMinutes = Math.Round(((v.CalledAt ?? now) - v.ArrivedAt).TotalMinutes, 1) }).ToList();
        var waiting = visits.Where(v => v.CalledAt is null && !v.Ended && !v.Abandoned).ToList();
        var serving = visits.Where(v => v.CalledAt is not null && !v.Ended && !v.Abandoned).ToList();
        var waits = visits.Where(v => v.CalledAt is not null).Select(v => v.WaitedMinutes).ToList();
        return TypedResults.Ok(new QueueNow(branchCode, day, waiting, serving, visits.Count(v => v.Ended),
            visits.Count(v => v.Abandoned), waits.Count == 0 ? 0 : Math.Round(waits.Average(), 1)));
    }

    private static async Task<IResult> IssueAsync(IssueTicket request, HttpContext http, FootTrafficDbContext db, VisitIdentification identification, CancellationToken ct)
    {
        if (!DataScope.Of(http.User).CanSeeBranch(request.BranchCode))
        {
            return TrafficProblems.OutOfScope(request.BranchCode, nameof(IssueTicket.BranchCode));
        }
        var at = request.IssuedAt?.ToUniversalTime() ?? DateTimeOffset.UtcNow;
        var day = BranchClock.DayOf(at);
        if (await db.Visits.AnyAsync(v => v.BranchCode == request.BranchCode && v.LogDate == day && v.TicketNumber == request.TicketNumber, ct))
        {
            return new FieldErrors().Add(nameof(IssueTicket.TicketNumber), FieldReasons.Taken,
                $"Ticket {request.TicketNumber} was already issued at {request.BranchCode} on {day:yyyy-MM-dd}.").ToProblem(title: "Duplicate ticket");
        }
        var who = await identification.IdentifyAsync(request.CustomerNumber, request.Phone, ct);
        var visit = new BranchVisit
        {
            Id = Guid.CreateVersion7(), BranchCode = request.BranchCode, TicketNumber = request.TicketNumber, ServiceType = request.ServiceType,
            ArrivedAt = at, LogDate = day, CustomerId = who?.CustomerId, Source = VisitSources.QueueMachine,
        };
        db.Visits.Add(visit);
        identification.PublishArrival(visit, who);
        await TrafficRollup.SaveAndRefreshAsync(db, visit.BranchCode, visit.ArrivedAt, ct);
        return TypedResults.Created($"/api/queue/tickets/{visit.Id}", TicketView.Of(visit));
    }

    private static async Task<IResult> EventAsync(Guid id, QueueEvent request, HttpContext http, FootTrafficDbContext db, CancellationToken ct)
    {
        var visit = await db.Visits.InBranchesOf(DataScope.Of(http.User)).FirstOrDefaultAsync(v => v.Id == id, ct);
        if (visit is null)
        {
            return TypedResults.NotFound();
        }
        var at = request.At?.ToUniversalTime() ?? DateTimeOffset.UtcNow;
        (string Code, string Message)? error = null;
        if (at < visit.ArrivedAt)
        {
            error = (FieldReasons.BeforeEarlierEvent, "is before the ticket was issued");
        }
        else if (visit.AbandonedAt is not null || visit.ServiceEndedAt is not null)
        {
            error = (FieldReasons.TicketClosed, "the ticket is already closed");
        }
        else
        {
            switch (request.Kind)
            {
                case "called":
                    visit.CalledAt = at;
                    visit.CounterNumber = request.Counter;
                    break;
                case "started":
                    visit.CalledAt ??= at;
                    visit.ServiceStartedAt = at;
                    break;
                case "ended" when visit.ServiceStartedAt is null:
                    error = (FieldReasons.ServiceNotStarted, "service never started");
                    break;
                case "ended":
                    visit.ServiceEndedAt = at;
                    break;
                case "abandoned" when visit.ServiceStartedAt is not null:
                    error = (FieldReasons.ServedNotAbandoned, "a ticket in service cannot be abandoned");
                    break;
                default:
                    visit.AbandonedAt = at;
                    break;
            }
        }
        if (error is { } refused)
        {
            return FieldErrors.Problem(request.At is null ? nameof(QueueEvent.Kind) : nameof(QueueEvent.At), refused.Code, refused.Message);
        }
        await TrafficRollup.SaveAndRefreshAsync(db, visit.BranchCode, visit.ArrivedAt, ct);
        return TypedResults.Ok(TicketView.Of(visit));
    }

    private static async Task<IResult> CheckInAsync(GreeterCheckIn request, HttpContext http, FootTrafficDbContext db, VisitIdentification identification, CancellationToken ct)
    {
        if (!DataScope.Of(http.User).CanSeeBranch(request.BranchCode))
        {
            return TrafficProblems.OutOfScope(request.BranchCode, nameof(GreeterCheckIn.BranchCode));
        }
        var who = await identification.IdentifyAsync(request.CustomerNumber, request.Phone, ct);
        if (who is null && request.CustomerNumber is null && request.Phone is not null)
        {
            // A phone that matches no customer: the greeter may capture them as a walk-in prospect instead.
            return FieldErrors.Problem(nameof(GreeterCheckIn.Phone), FieldReasons.NoMatchingCustomer,
                "matches no customer; capture the visitor as a walk-in (POST /api/walk-ins) if they consent");
        }
        var at = request.At?.ToUniversalTime() ?? DateTimeOffset.UtcNow;
        var visit = new BranchVisit
        {
            Id = Guid.CreateVersion7(), BranchCode = request.BranchCode, CustomerId = who?.CustomerId,
            TicketNumber = "G" + BranchClock.ToBranchTime(at).ToString("HHmmssff", System.Globalization.CultureInfo.InvariantCulture),
            ServiceType = request.ServiceType ?? "greeter", ArrivedAt = at, Source = VisitSources.Greeter,
        };
        db.Visits.Add(visit);
        identification.PublishArrival(visit, who);
        await TrafficRollup.SaveAndRefreshAsync(db, visit.BranchCode, visit.ArrivedAt, ct);
        return TypedResults.Created($"/api/queue/tickets/{visit.Id}", TicketView.Of(visit));
    }

    /// <summary>A day's queue log as CSV (the request body, streamed): all rows applied, or none with each bad row named.
    /// <c>?dryRun=true</c>: the same import rolled back, with the first rows as read (the portal's preview).</summary>
    private static async Task<IResult> ImportAsync(HttpContext http, FootTrafficDbContext db, VisitLogImporter importer, bool? dryRun, CancellationToken ct)
    {
        // A year of a branch's logs is tens of megabytes: streamed, within Imports:MaxBytes and Imports:MaxRows.
        var scope = DataScope.Of(http.User);
        return await ImportLimits.RunAsync(http, ImportFormat.Csv, async body =>
        {
            using var reader = new StreamReader(body);
            var result = await importer.ImportAsync(db, reader, scope, ct, dryRun: dryRun ?? false);
            if (result.Applied && !(dryRun ?? false))
            {
                // After the import's own commit: a lost notice never undoes an import.
                db.Publish(new ImportFinished(Guid.CreateVersion7(), "visits", scope.StaffId, scope.BranchCode ?? "", result.Rows, DateTimeOffset.UtcNow));
                await db.SaveChangesAsync(ct);
            }
            return Answer(result);
        });
    }

    private static IResult Answer(VisitLogResult result)
    {
        if (!result.Applied)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The queue log has bad rows; nothing was imported",
                detail: string.Join("; ", result.Errors.Take(5).Select(e => $"line {e.Line} {e.Field}: {e.Message}")),
                extensions: new Dictionary<string, object?> { ["code"] = ProblemCodes.ImportBadRows, ["errorCount"] = result.ErrorCount, ["errors"] = result.Errors });
        }
        return TypedResults.Ok(result);
    }
}
