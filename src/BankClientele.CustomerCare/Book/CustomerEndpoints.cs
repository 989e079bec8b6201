using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Privacy;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.CustomerCare.Book;

/// <summary>A customer as staff see them: personal data masked.</summary>
public sealed record CustomerView(
    Guid Id,
    string FullName,
    string PhoneMasked,
    string BranchCode,
    string AccountNumberMasked,
    decimal InitialDeposit,
    string? RelationshipManagerId,
    string? RelationshipManagerName,
    DateTimeOffset JoinedAt);

/// <summary>A customer's personal data, unmasked (see GET /api/customers/{id}/personal-data).</summary>
public sealed record CustomerPersonalData(Guid Id, string FullName, string Phone, string AccountNumber);

public static class CustomerEndpoints
{
    public static IEndpointRouteBuilder MapCustomerEndpoints(this IEndpointRouteBuilder app)
    {
        var customers = app.MapGroup("/api/customers").WithTags("Customers");
        customers.MapGet("/", ListAsync);
        customers.MapGet("/{id:guid}", GetAsync);
        customers.MapGet("/{id:guid}/personal-data", GetPersonalDataAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext http, CustomerCareDbContext db, string? branchCode, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        var query = db.Customers.AsNoTracking().VisibleTo(scope);
        if (branchCode is not null)
        {
            query = query.Where(c => c.BranchCode == branchCode);
        }
        var rows = await Project(db, query.OrderByDescending(c => c.JoinedAt).Take(500)).ToListAsync(ct);
        return TypedResults.Ok(rows.OrderByDescending(r => r.Customer.JoinedAt).Select(Mask));
    }

    private static async Task<IResult> GetAsync(Guid id, HttpContext http, CustomerCareDbContext db, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        // Out of scope reads exactly like absent, so ids of other managers' customers leak nothing.
        var row = await Project(db, db.Customers.AsNoTracking().VisibleTo(scope).Where(c => c.Id == id)).SingleOrDefaultAsync(ct);
        return row is null ? TypedResults.NotFound() : TypedResults.Ok(Mask(row));
    }

    /// <summary>
    /// The unmasked name, phone and account number, for the staff who serve the customer (to call
    /// them back, say). Every view is audited with its reason; the reason is required.
    /// </summary>
    private static async Task<IResult> GetPersonalDataAsync(Guid id, string? reason, HttpContext http, CustomerCareDbContext db, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 200)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["reason"] = ["Say why you need the unmasked data (1 to 200 characters); it is recorded."],
            });
        }
        if (!PersonalDataAudit.MayUnmask(scope))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Masked for your role",
                detail: "Only the customer's relationship manager or branch lead may see unmasked personal data.");
        }
        var customer = await db.Customers.AsNoTracking().VisibleTo(scope).SingleOrDefaultAsync(c => c.Id == id, ct);
        if (customer is null)
        {
            return TypedResults.NotFound();
        }
        db.RecordPersonalDataView(scope, "Customer", customer.Id, "FullName,Phone,AccountNumber", reason.Trim());
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new CustomerPersonalData(customer.Id, customer.FullName, customer.Phone, customer.AccountNumber));
    }

    private static IQueryable<CustomerRow> Project(CustomerCareDbContext db, IQueryable<Customer> customers) =>
        from c in customers
        join m in db.RelationshipManagers on c.RelationshipManagerId equals m.StaffId into managers
        from m in managers.DefaultIfEmpty()
        select new CustomerRow(c, m == null ? null : m.Name);

    private static CustomerView Mask(CustomerRow row) => new(
        row.Customer.Id,
        PersonalData.MaskName(row.Customer.FullName),
        PersonalData.MaskPhone(row.Customer.Phone),
        row.Customer.BranchCode,
        PersonalData.MaskNumber(row.Customer.AccountNumber),
        row.Customer.InitialDeposit,
        row.Customer.RelationshipManagerId,
        row.ManagerName,
        row.Customer.JoinedAt);

    private sealed record CustomerRow(Customer Customer, string? ManagerName);
}
