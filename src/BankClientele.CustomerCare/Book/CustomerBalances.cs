namespace BankClientele.CustomerCare.Book;

/// <summary>How the book sends customers' balances on: the balances feed and the conversion consumer chunk the same way.</summary>
public static class CustomerBalances
{
    /// <summary>Balances per message (DailyBalancesRecorded, ConvertedCustomerDeposits): about 200 kB of JSON each.</summary>
    public const int PerMessage = 2_000;
}
