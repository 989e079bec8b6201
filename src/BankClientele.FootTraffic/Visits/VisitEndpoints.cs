using System.ComponentModel.DataAnnotations;
using BankClientele.Contracts.FootTraffic;
using BankClientele.FootTraffic.Profile;
using BankClientele.Hosting.Auth;
using Microsoft.EntityFrameworkCore;
using BankClientele.Hosting.Refusals;

namespace BankClientele.FootTraffic.Visits;

public sealed record RecordVisit(
    [property: Required, StringLength(20, MinimumLength = 1)] string BranchCode,
    Guid? CustomerId,
    [property: Required, StringLength(20, MinimumLength = 1)] string TicketNumber,
    [property: Required, StringLength(40, MinimumLength = 1)] string ServiceType,
    DateTimeOffset? ArrivedAt);

public sealed record VisitView(Guid Id, string BranchCode, Guid? CustomerId, string TicketNumber, string ServiceType, DateTimeOffset ArrivedAt);

public static class VisitEndpoints
{
    public static IEndpointRouteBuilder MapVisitEndpoints(this IEndpointRouteBuilder app)
    {
        var visits = app.MapGroup("/api/visits").WithTags("Branch visits");
        visits.MapGet("/", ListAsync);
        visits.MapPost("/", RecordAsync);
        return app;
    }

    /// <summary>Visits the caller may see, newest first; <paramref name="from"/> and <paramref name="to"/> bound the arrival time.</summary>
    private static async Task<IResult> ListAsync(HttpContext http, FootTrafficDbContext db, string? branchCode, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        var query = db.Visits.AsNoTracking().InBranchesOf(DataScope.Of(http.User));
        if (branchCode is not null)
        {
            query = query.Where(v => v.BranchCode == branchCode);
        }
        if (from is { } start)
        {
            var utc = start.ToUniversalTime();
            query = query.Where(v => v.ArrivedAt >= utc);
        }
        if (to is { } end)
        {
            var utc = end.ToUniversalTime();
            query = query.Where(v => v.ArrivedAt < utc);
        }
        var rows = await query.OrderByDescending(v => v.ArrivedAt).Take(500)
            .Select(v => new VisitView(v.Id, v.BranchCode, v.CustomerId, v.TicketNumber, v.ServiceType, v.ArrivedAt))
            .ToListAsync(ct);
        return TypedResults.Ok(rows);
    }

    private static async Task<IResult> RecordAsync(RecordVisit request, HttpContext http, FootTrafficDbContext db, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        if (!scope.CanSeeBranch(request.BranchCode))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Branch out of scope",
                detail: $"You may not record visits for branch '{request.BranchCode}'.",
                extensions: new Dictionary<string, object?> { ["code"] = ProblemCodes.BranchOutOfScope, ["field"] = nameof(RecordVisit.BranchCode) });
        }
        var visit = new BranchVisit
        {
            Id = Guid.CreateVersion7(),
            BranchCode = request.BranchCode,
            CustomerId = request.CustomerId,
            TicketNumber = request.TicketNumber,
            ServiceType = request.ServiceType,
            // timestamptz stores instants: normalise a local offset (e.g. +08:00) to UTC.
            ArrivedAt = request.ArrivedAt?.ToUniversalTime() ?? DateTimeOffset.UtcNow,
        };
        db.Visits.Add(visit);
        db.Publish(new BranchVisitRecorded(visit.Id, visit.BranchCode, visit.CustomerId, visit.TicketNumber, visit.ServiceType, visit.ArrivedAt));
        await TrafficRollup.SaveAndRefreshAsync(db, visit.BranchCode, visit.ArrivedAt, ct);
        return TypedResults.Created($"/api/visits/{visit.Id}",
            new VisitView(visit.Id, visit.BranchCode, visit.CustomerId, visit.TicketNumber, visit.ServiceType, visit.ArrivedAt));
    }
}
