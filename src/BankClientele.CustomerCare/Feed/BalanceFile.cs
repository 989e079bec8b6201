using System.Runtime.InteropServices;
using BankClientele.Contracts.CustomerCare;
using BankClientele.Hosting.Customers;

namespace BankClientele.CustomerCare.Feed;

/// <summary>One balance of a day: the customer (an index into <see cref="BalanceFile"/>) and amounts in fen (cents).</summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal readonly record struct BalanceEntry(int Customer, long Deposit, long Wealth);

/// <summary>
/// A balances file held compactly in memory while it streams into the staging table (20 bytes a
/// balance, its customers once each), grouped by day. From it the import builds the
/// DailyBalancesRecorded events (<see cref="Recorded"/>), the customers' latest balances and the set of customers to re-tier,
/// so none of these needs another pass (and sort) over the staged file in SQL.
/// </summary>
internal sealed class BalanceFile
{
    private readonly Dictionary<string, int> index = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> lookup;
    private Dictionary<Guid, int>? byId;

    public BalanceFile() => lookup = index.GetAlternateLookup<ReadOnlySpan<char>>();

    public List<string> Numbers { get; } = [];

    public List<Guid> Ids { get; } = [];

    /// <summary>Balances by day (<see cref="DateOnly.DayNumber"/>).</summary>
    public Dictionary<int, List<BalanceEntry>> Days { get; } = [];

    /// <summary>The index of the customer with this number, added on first sight (the id hashed once).</summary>
    public int Customer(ReadOnlySpan<char> number)
    {
        if (!lookup.TryGetValue(number, out var customer))
        {
            var text = number.ToString();
            customer = Numbers.Count;
            index[text] = customer;
            Numbers.Add(text);
            Ids.Add(CustomerIds.FromCustomerNumber(text));
        }
        return customer;
    }

    /// <summary>The index of a customer of this file by id.</summary>
    public int CustomerOf(Guid id)
    {
        byId ??= Ids.Select((x, i) => (x, i)).ToDictionary(p => p.x, p => p.i);
        return byId[id];
    }

    public void Add(DateOnly date, int customer, decimal deposit, decimal wealth)
    {
        if (!Days.TryGetValue(date.DayNumber, out var day))
        {
            day = [];
            Days[date.DayNumber] = day;
        }
        day.Add(new BalanceEntry(customer, Fen(deposit), Fen(wealth)));
    }

    /// <summary>Drops every day but <paramref name="keep"/> (the days merged row by row come back from the database).</summary>
    public void KeepOnly(IReadOnlySet<int> keep)
    {
        foreach (var day in Days.Keys.Where(d => !keep.Contains(d)).ToList())
        {
            Days.Remove(day);
        }
    }

    private static long Fen(decimal amount) => (long)(amount * 100m);

    public static decimal Yuan(long fen) => fen / 100m;

    /// <summary>
    /// Fen as yuan with two decimals, as numeric(18,2) prints and the balance events have always carried
    /// them (1234.50, 0.00): the product keeps the scale of 0.01 where a division would drop trailing zeros.
    /// </summary>
    public static decimal Amount(long fen) => fen * 0.01m;

    /// <summary>
    /// The DailyBalancesRecorded of these balances (one chunk of a branch's day), by column: serialised as every
    /// outbox body is, from the contract's record.
    /// </summary>
    public DailyBalancesRecorded Recorded(string branchCode, DateOnly date, int chunk, int chunkCount, ReadOnlySpan<BalanceEntry> balances)
    {
        var customerIds = new Guid[balances.Length];
        var deposits = new decimal[balances.Length];
        var wealth = new decimal[balances.Length];
        for (var i = 0; i < balances.Length; i++)
        {
            customerIds[i] = Ids[balances[i].Customer];
            deposits[i] = Amount(balances[i].Deposit);
            wealth[i] = Amount(balances[i].Wealth);
        }
        return new DailyBalancesRecorded(branchCode, date, chunk, chunkCount, customerIds, deposits, wealth);
    }
}
