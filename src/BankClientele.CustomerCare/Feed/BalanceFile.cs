using System.Buffers;
using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using BankClientele.Hosting.Customers;

namespace BankClientele.CustomerCare.Feed;

/// <summary>One balance of a day: the customer (an index into <see cref="BalanceFile"/>) and amounts in fen (cents).</summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal readonly record struct BalanceEntry(int Customer, long Deposit, long Wealth);

/// <summary>
/// A balances file held compactly in memory while it streams into the staging table (20 bytes a
/// balance, its customers once each), grouped by day. From it the import builds the
/// DailyBalancesRecorded bodies, the customers' latest balances and the set of customers to re-tier,
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

    /// <summary>Writes fen as yuan with two decimals (as numeric(18,2) prints), e.g. 1234.50.</summary>
    public static void WriteYuan(IBufferWriter<byte> buffer, long fen)
    {
        var span = buffer.GetSpan(24);
        Utf8Formatter.TryFormat(fen / 100, span, out var written);
        span[written++] = (byte)'.';
        var cents = (int)(fen % 100);
        span[written++] = (byte)('0' + cents / 10);
        span[written++] = (byte)('0' + cents % 10);
        buffer.Advance(written);
    }
}

/// <summary>
/// Builds DailyBalancesRecorded bodies (the contract's JSON, camelCase, by column) straight into
/// UTF-8: each customer's quoted id is encoded once, the amounts formatted in place.
/// </summary>
internal sealed class BalanceEventWriter(BalanceFile file)
{
    private readonly byte[]?[] ids = new byte[file.Numbers.Count][];
    private readonly ArrayBufferWriter<byte> buffer = new(1 << 17);

    public ReadOnlyMemory<byte> Body(string branchCode, DateOnly date, int chunk, int chunkCount, ReadOnlySpan<BalanceEntry> balances)
    {
        buffer.ResetWrittenCount();
        buffer.Write("{\"branchCode\":\""u8);
        buffer.Write(JsonEncodedText.Encode(branchCode).EncodedUtf8Bytes);
        buffer.Write(Encoding.UTF8.GetBytes(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"\",\"date\":\"{date:yyyy-MM-dd}\",\"chunk\":{chunk},\"chunkCount\":{chunkCount},\"customerIds\":[")));
        for (var i = 0; i < balances.Length; i++)
        {
            if (i > 0)
            {
                buffer.Write(","u8);
            }
            var customer = balances[i].Customer;
            buffer.Write(ids[customer] ??= Encoding.UTF8.GetBytes($"\"{file.Ids[customer]:D}\""));
        }
        buffer.Write("],\"deposits\":["u8);
        WriteAmounts(balances, wealth: false);
        buffer.Write("],\"wealth\":["u8);
        WriteAmounts(balances, wealth: true);
        buffer.Write("]}"u8);
        return buffer.WrittenMemory;
    }

    /// <summary>One column of amounts, comma-separated.</summary>
    private void WriteAmounts(ReadOnlySpan<BalanceEntry> balances, bool wealth)
    {
        for (var i = 0; i < balances.Length; i++)
        {
            if (i > 0)
            {
                buffer.Write(","u8);
            }
            BalanceFile.WriteYuan(buffer, wealth ? balances[i].Wealth : balances[i].Deposit);
        }
    }
}
