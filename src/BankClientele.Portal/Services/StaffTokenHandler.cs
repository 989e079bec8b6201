using BankClientele.Hosting.Auth;

namespace BankClientele.Portal.Services;

/// <summary>
/// Adds a short-lived staff JWT for the signed-in user to every call to a service, so each
/// service sees who is asking (role, branch, staff id) and scopes its answer. The token names the
/// service's audience: a service cannot replay it at another.
/// </summary>
public sealed class StaffTokenHandler(IHttpContextAccessor http, StaffTokenIssuer issuer, string audience) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // A call that already names its caller (a live component's, see ServiceApi.Caller) keeps it.
        if (request.Headers.Authorization is null && http.HttpContext?.User is { Identity.IsAuthenticated: true } user && StaffTokenIssuer.FromPrincipal(user) is { } staff)
        {
            request.Headers.Authorization = new("Bearer", issuer.Issue(staff, audience));
        }
        return base.SendAsync(request, cancellationToken);
    }
}
