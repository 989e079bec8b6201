namespace BankClientele.Contracts.CustomerCare;

/// <summary>
/// One branch's end-of-day balances for one day, in chunks (<paramref name="Chunk"/> of
/// <paramref name="ChunkCount"/>, from 1) so no message grows past a few hundred kilobytes.
/// Balances are in yuan, by column: the customer at <c>CustomerIds[i]</c> holds <c>Deposits[i]</c>
/// and <c>Wealth[i]</c>, so the three arrays are of one length. Columns, not one object per
/// customer: a year of a network's balances is millions of them, and the field names repeated
/// in each made up half of every message.
/// </summary>
public sealed record DailyBalancesRecorded(
    string BranchCode,
    DateOnly Date,
    int Chunk,
    int ChunkCount,
    Guid[] CustomerIds,
    decimal[] Deposits,
    decimal[] Wealth)
{
    public static DailyBalancesRecorded Of(string branchCode, DateOnly date, int chunk, int chunkCount, IReadOnlyList<CustomerBalance> balances) =>
        new(branchCode, date, chunk, chunkCount,
            [.. balances.Select(b => b.CustomerId)], [.. balances.Select(b => b.Deposit)], [.. balances.Select(b => b.Wealth)]);

    /// <summary>False for a message whose columns are missing or of different lengths (to be refused, not half-read).</summary>
    public bool IsWellFormed() =>
        CustomerIds is not null && Deposits is not null && Wealth is not null &&
        Deposits.Length == CustomerIds.Length && Wealth.Length == CustomerIds.Length;

    /// <summary>The balances one per customer.</summary>
    public IEnumerable<CustomerBalance> Balances() =>
        CustomerIds.Select((id, i) => new CustomerBalance(id, Deposits[i], Wealth[i]));
}

public sealed record CustomerBalance(Guid CustomerId, decimal Deposit, decimal Wealth);
