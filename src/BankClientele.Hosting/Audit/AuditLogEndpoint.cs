using BankClientele.Hosting.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BankClientele.Hosting.Audit;

/// <summary>
/// GET /api/audit, the same in every service that keeps audited actions: leads, region heads, head
/// office and administrators; the filters checked and scoped by <see cref="AuditFilter"/>; newest first,
/// at most <see cref="AuditFilter.MaxRows"/>. Each service passes only how it reads its own entries.
/// </summary>
public static class AuditLogEndpoint
{
    public static IEndpointRouteBuilder MapAuditLog<TDb>(this IEndpointRouteBuilder app,
        Func<AuditFilter, TDb, CancellationToken, Task<IEnumerable<AuditEntry>>> read) where TDb : notnull
    {
        app.MapGet("/api/audit", async (string? branchCode, DateOnly? from, DateOnly? to, string? staffId, string? kind,
                HttpContext http, CancellationToken ct) =>
            {
                var (filter, refused) = AuditFilter.Parse(http, branchCode, from, to, staffId, kind);
                if (filter is null)
                {
                    return refused!;
                }
                // From the request's services, not a TDb parameter: the route analyser cannot read a generic handler.
                var entries = await read(filter, http.RequestServices.GetRequiredService<TDb>(), ct);
                return TypedResults.Ok(entries.OrderByDescending(e => e.At).Take(AuditFilter.MaxRows).ToList());
            })
            .WithTags("Audit")
            .RequireAuthorization(p => p.RequireRole(StaffRoles.BranchLead, StaffRoles.RegionHead, StaffRoles.HeadOffice, StaffRoles.Administrator));
        return app;
    }
}
