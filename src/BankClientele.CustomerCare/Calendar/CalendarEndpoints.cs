using BankClientele.CustomerCare.Revisits;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Privacy;
using BankClientele.Hosting.Time;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Microsoft.EntityFrameworkCore;
using BankClientele.Hosting.Refusals;

namespace BankClientele.CustomerCare.Calendar;

/// <summary>The link to subscribe to; the token is shown once, when created or rotated.</summary>
public sealed record CalendarLinkCreated(string StaffId, string Token, string Path);

public static class CalendarEndpoints
{
    public static IEndpointRouteBuilder MapCalendarEndpoints(this IEndpointRouteBuilder app)
    {
        var links = app.MapGroup("/api/calendar-links").WithTags("Calendar");
        links.MapPost("/", CreateOrRotateAsync);
        links.MapDelete("/", RevokeAsync);
        // The one anonymous endpoint: the secret token in the path is the credential.
        app.MapGet("/calendar/{token}.ics", FeedAsync).AllowAnonymous().WithTags("Calendar");
        return app;
    }

    /// <summary>Creates the caller's link, or rotates it (the old link stops working at once).</summary>
    private static async Task<IResult> CreateOrRotateAsync(HttpContext http, CustomerCareDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        if (await Staff.StaffEndpoints.IsDeactivatedAsync(db, scope.StaffId, ct))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Deactivated",
                detail: "A deactivated member of staff gets no calendar link.", extensions: new Dictionary<string, object?> { ["code"] = ProblemCodes.Deactivated, ["field"] = "staffId" });
        }
        var token = CalendarLink.NewToken();
        var link = await db.CalendarLinks.FindAsync([scope.StaffId], ct);
        if (link is null)
        {
            link = new CalendarLink { StaffId = scope.StaffId, TokenHash = "" };
            db.CalendarLinks.Add(link);
        }
        link.TokenHash = CalendarLink.Hash(token);
        link.CreatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new CalendarLinkCreated(scope.StaffId, token, $"/calendar/{token}.ics"));
    }

    private static async Task<IResult> RevokeAsync(HttpContext http, CustomerCareDbContext db, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        var deleted = await db.CalendarLinks.Where(l => l.StaffId == scope.StaffId).ExecuteDeleteAsync(ct);
        return deleted == 0 ? TypedResults.NotFound() : TypedResults.NoContent();
    }

    /// <summary>
    /// The manager's open revisits (overdue ones on today) as all-day events, customers masked: a
    /// calendar on a phone is not the place for personal data. Unknown or revoked token: 404; the
    /// link of a deactivated member of staff: 410 (deactivation also deletes the link, so 404 after it).
    /// </summary>
    private static async Task<IResult> FeedAsync(string token, CustomerCareDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (token.Length is < 16 or > 100)
        {
            return TypedResults.NotFound();
        }
        var hash = CalendarLink.Hash(token);
        var link = await db.CalendarLinks.AsNoTracking().SingleOrDefaultAsync(l => l.TokenHash == hash, ct);
        if (link is null)
        {
            return TypedResults.NotFound();
        }
        if (await Staff.StaffEndpoints.IsDeactivatedAsync(db, link.StaffId, ct))
        {
            return TypedResults.StatusCode(StatusCodes.Status410Gone);
        }
        var today = BranchClock.DayOf(clock.GetUtcNow());
        var rows = await (from r in db.Revisits.AsNoTracking()
                          join c in db.Customers on r.CustomerId equals c.Id
                          where r.RelationshipManagerId == link.StaffId && r.Status == RevisitStatuses.Open
                          orderby r.DueOn
                          select new { r.Id, r.Reason, r.Detail, r.DueOn, c.FullName, c.Tier })
            .Take(1000).ToListAsync(ct);
        var calendar = new Ical.Net.Calendar { ProductId = "-//BankClientele//Revisits//ZH" };
        calendar.AddProperty("X-WR-CALNAME", $"回访 Revisits {link.StaffId}");
        foreach (var r in rows)
        {
            var day = r.DueOn < today ? today : r.DueOn;
            var overdue = r.DueOn < today ? $" (overdue since {r.DueOn:yyyy-MM-dd})" : "";
            calendar.Events.Add(new CalendarEvent
            {
                Uid = $"{r.Id}@bankclientele",
                Summary = $"回访 {PersonalData.MaskName(r.FullName)} · {r.Reason}{overdue}",
                Description = $"{r.Tier}; {FreeText.MaskNumbers(r.Detail)}",
                DtStart = new CalDateTime(day),
                DtEnd = new CalDateTime(day.AddDays(1)),
            });
        }
        var text = new CalendarSerializer().SerializeToString(calendar)!;
        return TypedResults.Text(text, "text/calendar; charset=utf-8");
    }
}
