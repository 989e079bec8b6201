using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Database;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Hosting.Messaging;

/// <summary>What waits in a service's outbox: unsent rows, the oldest one's age, those failing to publish.</summary>
public sealed record OutboxStatus(long Unsent, DateTimeOffset? OldestUnsentAt, double? OldestAgeSeconds, long Failing, string? LastError);

public static class OutboxEndpoints
{
    /// <summary>GET /api/bus/outbox, for administrators (the portal's system page).</summary>
    public static IEndpointRouteBuilder MapOutboxStatus(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/bus/outbox", async (ServiceDbContext db, CancellationToken ct) =>
            {
                var unsent = db.OutboxMessages.AsNoTracking().Where(m => m.SentAt == null);
                var count = await unsent.LongCountAsync(ct);
                var oldest = count == 0 ? null : await unsent.OrderBy(m => m.Id).Select(m => (DateTimeOffset?)m.CreatedAt).FirstOrDefaultAsync(ct);
                var failing = await unsent.LongCountAsync(m => m.Attempts > 0, ct);
                var lastError = failing == 0 ? null : await unsent.Where(m => m.Attempts > 0).OrderByDescending(m => m.Id).Select(m => m.LastError).FirstOrDefaultAsync(ct);
                return TypedResults.Ok(new OutboxStatus(count, oldest, oldest is { } at ? Math.Round((DateTimeOffset.UtcNow - at).TotalSeconds, 1) : null, failing, lastError));
            })
            .RequireAuthorization(policy => policy.RequireRole(StaffRoles.Administrator))
            .WithTags("Bus");
        return app;
    }
}
