using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.Routing;

namespace BankClientele.Portal.Accounts;

/// <summary>
/// Where the portal may send a browser back to after sign-in or a language switch: only its own
/// pages (Url.IsLocalUrl refuses "//evil.example", "/\evil" and "https://evil"), else the start page.
/// </summary>
public static class ReturnUrls
{
    public static string LocalOrHome(HttpContext http, string? returnUrl) =>
        returnUrl is { Length: > 0 } && IsLocal(http, returnUrl) ? returnUrl : "/";

    public static bool IsLocal(HttpContext http, string url) =>
        new UrlHelper(new ActionContext(http, http.GetRouteData(), new ActionDescriptor())).IsLocalUrl(url);
}
