namespace BankClientele.Acquisition.Customers;

/// <summary>
/// A customer of the book (from CustomerCare's CustomerRegistered): never prospected, never a
/// duplicate; the audience of a targeted campaign to the existing book.
/// </summary>
public sealed class ExistingCustomer
{
    public Guid CustomerId { get; init; }
    public required string CustomerNumber { get; init; }
    public required string BranchCode { get; set; }
    public string? PhoneHash { get; set; }
    public string? IdNumberHash { get; set; }
    public string Tier { get; set; } = "";
}
