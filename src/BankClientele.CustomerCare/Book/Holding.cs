namespace BankClientele.CustomerCare.Book;

/// <summary>An account or product a customer holds, as the core-banking feed reports it.</summary>
public sealed class Holding
{
    public required string AccountNumber { get; init; }
    public Guid CustomerId { get; set; }
    public required string ProductCode { get; set; }
    public DateOnly OpenedOn { get; set; }

    /// <summary>For time deposits and fixed-term products.</summary>
    public DateOnly? MaturesOn { get; set; }
    public decimal Balance { get; set; }
}

/// <summary>A customer's end-of-day balances (yuan): deposits and wealth-management products.</summary>
public sealed class DailyBalance
{
    public Guid CustomerId { get; init; }
    public DateOnly Date { get; init; }
    public decimal Deposit { get; set; }
    public decimal Wealth { get; set; }
}
