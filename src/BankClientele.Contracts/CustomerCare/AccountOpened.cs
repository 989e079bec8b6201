namespace BankClientele.Contracts.CustomerCare;

/// <summary>
/// The core-banking feed reported a new account. Acquisition converts the matching prospect; the
/// match uses hashes of the normalised phone and ID number, never the numbers themselves.
/// </summary>
/// <param name="CustomerId">Derived from <paramref name="CustomerNumber"/>, the same in every service.</param>
/// <param name="PhoneHash">Keyed hash of the normalised phone (Hosting's PersonalDataHash), or null.</param>
/// <param name="IdNumberHash">Keyed hash of the normalised ID number, or null.</param>
/// <param name="FirstAccountOfCustomer">True when the customer had no account before: a new customer.</param>
/// <remarks>Carries the account number: replaced by <see cref="AccountOpenedV2"/>, kept to read messages queued before the upgrade.</remarks>
[Obsolete("Carries the account number; publish AccountOpenedV2. Kept to read messages queued before the upgrade.")]
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

/// <summary>
/// The core-banking feed reported a new account (as <see cref="AccountOpened"/>, without the account
/// number): the account travels as a keyed hash, which is unique per account and matches nothing else.
/// </summary>
/// <param name="AccountNumberHash">Keyed hash of the account number (Hosting's PersonalDataHash.AccountNumber).</param>
public sealed record AccountOpenedV2(
    Guid CustomerId,
    string CustomerNumber,
    string AccountNumberHash,
    string ProductCode,
    string BranchCode,
    DateOnly OpenedOn,
    decimal FirstDeposit,
    string? PhoneHash,
    string? IdNumberHash,
    bool FirstAccountOfCustomer);
