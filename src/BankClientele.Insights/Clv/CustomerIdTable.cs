using System.Numerics;
using System.Runtime.CompilerServices;

namespace BankClientele.Insights.Clv;

/// <summary>
/// Customer ids as UTF-8 bytes in one growing arena, numbered in order of first appearance. Indexed, it
/// finds them through an open-addressing hash table: looking up an id read from a file decodes nothing
/// and allocates nothing, and a new id costs only its bytes in the arena (no string, no dictionary
/// entry). Unindexed, ids are only appended (<see cref="Append"/>), for a log grouped by customer in
/// increasing id order, where every new run of rows is a new customer and nothing needs hashing;
/// <see cref="Index"/> hashes them when that order breaks.
/// </summary>
internal sealed class CustomerIdTable
{
    private byte[] arena;
    private int arenaLength;

    // Id k's bytes are arena[starts[k]..starts[k + 1]]: one offset an id rather than a start and a length.
    private int[] starts;

    // Each id's hash, once the table is indexed.
    private int[]? hashes;

    // Slot → hash << 32 | id + 1 (0 is empty), so that a probe compares hashes without another memory
    // access (a miss costs more than the rest of a lookup); kept at most half full. Null while unindexed.
    private long[]? slots;

    /// <param name="capacity">Ids expected, so that a table whose size is known never grows.</param>
    /// <param name="indexed">False for a table that is only appended to until <see cref="Index"/>.</param>
    public CustomerIdTable(int capacity = 1024, bool indexed = true)
    {
        capacity = Math.Max(16, capacity);
        // Uninitialised (each id's bytes and end are written as it is added): a table sized for the most
        // ids it may hold would otherwise have all of it cleared when the collector reuses memory.
        arena = GC.AllocateUninitializedArray<byte>(capacity * 8);
        starts = GC.AllocateUninitializedArray<int>(capacity + 1);
        starts[0] = 0;
        if (indexed)
        {
            hashes = new int[capacity];
            slots = new long[SlotsFor(capacity)];
        }
    }

    private static int SlotsFor(int count) => (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, count) * 2);

    public bool Indexed => slots is not null;

    public int Count { get; private set; }

    public ReadOnlySpan<byte> this[int id] => arena.AsSpan(starts[id], starts[id + 1] - starts[id]);

    /// <summary>The hash an id was stored under (indexed tables only), so that another table can take it without hashing again.</summary>
    public int HashOf(int id) => hashes![id];

    /// <summary>Adds an id to an unindexed table without looking for it: the caller knows it is new.</summary>
    // Optimised from the first call, as the reader's loops are: it runs once a customer.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Append(ReadOnlySpan<byte> id)
    {
        EnsureRoom(id.Length);
        id.CopyTo(arena.AsSpan(arenaLength));
        arenaLength += id.Length;
        starts[Count + 1] = arenaLength;
        return Count++;
    }

    /// <summary>Hashes the ids appended so far and indexes them, so that <see cref="GetOrAdd(ReadOnlySpan{byte})"/> may follow.</summary>
    public void Index()
    {
        if (slots is not null)
        {
            return;
        }
        hashes = new int[starts.Length - 1];
        slots = new long[SlotsFor(Math.Max(starts.Length - 1, Count))];
        var mask = slots.Length - 1;
        for (var k = 0; k < Count; k++)
        {
            var hash = hashes[k] = Hash(this[k]);
            var slot = hash & mask;
            while (slots[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }
            slots[slot] = ((long)hash << 32) | (uint)(k + 1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int GetOrAdd(ReadOnlySpan<byte> id) => GetOrAdd(id, Hash(id));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int GetOrAdd(ReadOnlySpan<byte> id, int hash)
    {
        var slot = Find(id, hash);
        return slots![slot] != 0 ? (int)slots[slot] - 1 : Add(id, hash, slot);
    }

    /// <summary>The id's number, or −1 if it is not in the (indexed) table; reads only, so threads may share it.</summary>
    public int IndexOf(ReadOnlySpan<byte> id) => (int)slots![Find(id, Hash(id))] - 1;

    /// <summary>The slot holding the id, or the empty slot where it would go.</summary>
    private int Find(ReadOnlySpan<byte> id, int hash)
    {
        var slots = this.slots!;
        var mask = slots.Length - 1;
        var slot = hash & mask;
        while (slots[slot] != 0)
        {
            if ((int)(slots[slot] >> 32) == hash && this[(int)slots[slot] - 1].SequenceEqual(id))
            {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private int Add(ReadOnlySpan<byte> id, int hash, int slot)
    {
        var k = Append(id);
        hashes![k] = hash;
        slots![slot] = ((long)hash << 32) | (uint)(k + 1);
        if (Count * 2 > slots.Length)
        {
            Grow();
        }
        return k;
    }

    private void EnsureRoom(int idLength)
    {
        if (arenaLength + idLength > arena.Length)
        {
            Array.Resize(ref arena, Math.Max(arena.Length * 2, arenaLength + idLength));
        }
        if (Count + 1 == starts.Length)
        {
            Array.Resize(ref starts, Count * 2 + 1);
            if (hashes is not null)
            {
                Array.Resize(ref hashes, Count * 2);
            }
        }
    }

    private void Grow()
    {
        var old = slots!;
        slots = new long[old.Length * 2];
        var mask = slots.Length - 1;
        foreach (var entry in old)
        {
            if (entry != 0)
            {
                var slot = (int)(entry >> 32) & mask;
                while (slots[slot] != 0)
                {
                    slot = (slot + 1) & mask;
                }
                slots[slot] = entry;
            }
        }
    }

    /// <summary>FNV-1a over the bytes with a final mix: ids are short, and mostly digits that differ in their last bytes.</summary>
    private static int Hash(ReadOnlySpan<byte> id)
    {
        var h = 2166136261u;
        foreach (var b in id)
        {
            h = (h ^ b) * 16777619u;
        }
        h ^= h >> 15;
        h *= 0x2c1b3c6du;
        h ^= h >> 12;
        return (int)(h & 0x7fffffff);
    }
}

/// <summary>
/// The customer ids of a log read in parts, numbered on from part to part: each part's table from its
/// <c>Skip</c>-th id on (the ids before continue the previous part's last customer). The tables are
/// not copied into one: a million ids copied once more are memory written for nothing.
/// </summary>
internal sealed class CustomerIds
{
    private readonly CustomerIdTable[] tables;
    private readonly int[] skips;

    // The number of each part's first customer, increasing.
    private readonly int[] firsts;

    public CustomerIds(IEnumerable<(CustomerIdTable Table, int Skip)> parts)
    {
        var (tables, skips, firsts) = (new List<CustomerIdTable>(), new List<int>(), new List<int>());
        foreach (var (table, skip) in parts)
        {
            if (table.Count > skip)
            {
                tables.Add(table);
                skips.Add(skip);
                firsts.Add(Count);
                Count += table.Count - skip;
            }
        }
        (this.tables, this.skips, this.firsts) = (tables.ToArray(), skips.ToArray(), firsts.ToArray());
    }

    public int Count { get; }

    public ReadOnlySpan<byte> this[int customer]
    {
        get
        {
            var p = Array.BinarySearch(firsts, customer);
            p = p >= 0 ? p : ~p - 1;
            return tables[p][customer - firsts[p] + skips[p]];
        }
    }
}
