namespace BankClientele.Contracts.CustomerCare;

/// <summary>
/// Deposit balances (yuan) of customers a prospect converted into (CustomerCare links them from
/// <c>ProspectConverted</c>), by column: on <c>Dates[i]</c> customer <c>CustomerIds[i]</c> held
/// <c>Deposits[i]</c>. What Acquisition needs of the balances (activation, the deposits 30 and 90
/// days on), without the whole network's: a balances file sends the converted customers' rows it
/// merged, and linking a customer already in the book sends their balances since the conversion.
/// </summary>
public sealed record ConvertedCustomerDeposits(Guid[] CustomerIds, DateOnly[] Dates, decimal[] Deposits)
{
    /// <summary>False for a message whose columns are missing or of different lengths (to be refused, not half-read).</summary>
    public bool IsWellFormed() =>
        CustomerIds is not null && Dates is not null && Deposits is not null &&
        Dates.Length == CustomerIds.Length && Deposits.Length == CustomerIds.Length;
}
