using BankClientele.Acquisition.Prospects;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Customers;
using BankClientele.Hosting.Privacy;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Acquisition.Funnel;

/// <summary>A conversion recorded by hand (<c>POST /api/prospects/{id}/conversion</c>): the funnel's step, on a prospect's route.</summary>
public static class ConversionEndpoints
{
    public static IEndpointRouteBuilder MapConversionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/prospects/{id:guid}/conversion", ConvertAsync).WithTags("Prospects");
        return app;
    }

    /// <summary>
    /// A member of staff records by hand that the prospect opened an account. It converges with the
    /// core-banking feed: whichever comes first converts, the other finds the customer converted.
    /// </summary>
    private static async Task<IResult> ConvertAsync(Guid id, ConvertProspect request, HttpContext http, AcquisitionDbContext db, PersonalDataHash hashes, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        var prospect = await db.Prospects.InBranchesOf(scope).SingleOrDefaultAsync(p => p.Id == id, ct);
        if (prospect is null)
        {
            return TypedResults.NotFound();
        }
        if (prospect.IsConverted)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already converted",
                detail: $"Prospect {id} became customer {prospect.CustomerNumber ?? prospect.CustomerId.ToString()} on {prospect.ConvertedAt:u}.");
        }
        var customerId = CustomerIds.FromCustomerNumber(request.CustomerNumber);
        // A customer already in the book may be claimed only by staff of their branch (and of the prospect's).
        if (await db.ExistingCustomers.AsNoTracking().Where(c => c.CustomerId == customerId).Select(c => c.BranchCode).FirstOrDefaultAsync(ct) is { } customerBranch
            && (!scope.CanSeeBranch(customerBranch) || customerBranch != prospect.BranchCode))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Customer of another branch",
                detail: "The customer number belongs to a customer of another branch: only that branch can record the conversion.",
                extensions: new Dictionary<string, object?> { ["field"] = nameof(ConvertProspect.CustomerNumber) });
        }
        if (await db.Prospects.AnyAsync(p => p.CustomerId == customerId, ct))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Customer already converted",
                detail: $"Customer {request.CustomerNumber} is already the conversion of another prospect: one customer, one conversion.",
                extensions: new Dictionary<string, object?> { ["field"] = nameof(ConvertProspect.CustomerNumber) });
        }
        var converted = await Conversions.ConvertAsync(db, prospect,
            new AccountDetails(request.CustomerNumber, request.AccountNumber, hashes.AccountNumber(request.AccountNumber), request.InitialDeposit, prospect.BranchCode, DateTimeOffset.UtcNow), "hand", ct);
        // The xmin concurrency token and the unique customer id make a concurrent second conversion fail instead of publishing twice.
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Converted concurrently",
                detail: $"Prospect {id} or customer {request.CustomerNumber} was converted at the same moment (the feed, or another member of staff).");
        }
        return TypedResults.Ok(new ProspectConversionResult(prospect.Id, converted.CustomerId));
    }
}
