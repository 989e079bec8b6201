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

public static class CustomerEndpoints
{
    public static IEndpointRouteBuilder MapCustomerEndpoints(this IEndpointRouteBuilder app)
    {
        var customers = app.MapGroup("/api/customers").WithTags("Customers");
        customers.MapGet("/", ListAsync);
        customers.MapGet("/{id:guid}", GetAsync);
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
