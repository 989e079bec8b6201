namespace BankClientele.Contracts.CustomerCare;

/// <summary>
/// One branch's end-of-day balances for one day, in chunks (<paramref name="Chunk"/> of
/// <paramref name="ChunkCount"/>, from 1) so no message grows past a few hundred kilobytes.
/// Balances are in yuan.
/// </summary>
public sealed record DailyBalancesRecorded(
    string BranchCode,
    DateOnly Date,
    int Chunk,
    int ChunkCount,
    IReadOnlyList<CustomerBalance> Balances);

public sealed record CustomerBalance(Guid CustomerId, string CustomerNumber, decimal Deposit, decimal Wealth);
