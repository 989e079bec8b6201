using BankClientele.Portal.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;

namespace BankClientele.Portal.Accounts;

public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        // A form post from the layout; antiforgery is validated for forms by UseAntiforgery.
        app.MapPost("/account/logout", async (SignInManager<StaffAccount> signIn) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("/account/login");
        }).RequireAuthorization();

        // The language switch: remembered in a cookie for a year.
        app.MapGet("/culture", (HttpContext http, [FromQuery(Name = "c")] string culture, [FromQuery] string? redirect) =>
        {
            if (!Text.Cultures.Contains(culture))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["c"] = [$"Use one of {string.Join(", ", Text.Cultures)}."] });
            }
            http.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true });
            return Results.LocalRedirect(ReturnUrls.LocalOrHome(http, redirect));
        }).AllowAnonymous();
        return app;
    }
}
