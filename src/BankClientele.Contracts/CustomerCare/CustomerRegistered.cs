namespace BankClientele.Contracts.CustomerCare;

/// <summary>
/// A customer entered the book (from the core-banking feed or a conversion), once per customer.
/// Other services keep what they need to recognise them: FootTraffic matches a greeter's phone,
/// Acquisition excludes existing customers from prospecting. Hashes as in <see cref="AccountOpened"/>.
/// </summary>
public sealed record CustomerRegistered(
    Guid CustomerId,
    string CustomerNumber,
    string BranchCode,
    string? PhoneHash,
    string? IdNumberHash,
    string Tier,
    DateTimeOffset RegisteredAt);
