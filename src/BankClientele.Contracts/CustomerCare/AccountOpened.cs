namespace BankClientele.Contracts.CustomerCare;

/// <summary>
/// The core-banking feed reported a new account. Acquisition converts the matching prospect; the
/// match uses hashes of the normalised phone and ID number, never the numbers themselves.
/// </summary>
/// <param name="CustomerId">Derived from <paramref name="CustomerNumber"/>, the same in every service.</param>
/// <param name="PhoneHash">Keyed hash of the normalised phone (Hosting's PersonalDataHash), or null.</param>
/// <param name="IdNumberHash">Keyed hash of the normalised ID number, or null.</param>
/// <param name="FirstAccountOfCustomer">True when the customer had no account before: a new customer.</param>
public sealed record AccountOpened(
    Guid CustomerId,
    string CustomerNumber,
    string AccountNumber,
    string ProductCode,
    string BranchCode,
    DateOnly OpenedOn,
    decimal FirstDeposit,
    string? PhoneHash,
    string? IdNumberHash,
    bool FirstAccountOfCustomer);
