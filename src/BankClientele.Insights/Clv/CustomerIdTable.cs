using System.Numerics;
using System.Runtime.CompilerServices;

namespace BankClientele.Insights.Clv;

/// <summary>
/// Customer ids as UTF-8 bytes in one growing arena, numbered in order of first appearance and found
/// through an open-addressing hash table: looking up an id read from a file decodes nothing and
/// allocates nothing, and a new id costs only its bytes in the arena (no string, no dictionary entry).
/// </summary>
internal sealed class CustomerIdTable
{
    private byte[] arena;
    private int arenaLength;
    private int[] starts;
    private int[] lengths;
    private int[] hashes;

    // Slot → hash << 32 | id + 1 (0 is empty), so that a probe compares hashes without another memory
    // access (a miss costs more than the rest of a lookup); kept at most half full.
    private long[] slots;

    /// <param name="capacity">Ids expected, so that a table whose size is known never grows.</param>
    public CustomerIdTable(int capacity = 1024)
    {
        capacity = Math.Max(16, capacity);
        arena = new byte[capacity * 8];
        starts = new int[capacity];
        lengths = new int[capacity];
        hashes = new int[capacity];
        slots = new long[(int)BitOperations.RoundUpToPowerOf2((uint)capacity * 2)];
    }

    public int Count { get; private set; }

    public ReadOnlySpan<byte> this[int id] => arena.AsSpan(starts[id], lengths[id]);

    /// <summary>The hash an id was stored under, so that another table can take it without hashing again.</summary>
    public int HashOf(int id) => hashes[id];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int GetOrAdd(ReadOnlySpan<byte> id) => GetOrAdd(id, Hash(id));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int GetOrAdd(ReadOnlySpan<byte> id, int hash)
    {
        var slot = Find(id, hash);
        return slots[slot] != 0 ? (int)slots[slot] - 1 : Add(id, hash, slot);
    }

    /// <summary>The id's number, or −1 if it is not in the table; reads only, so threads may share it.</summary>
    public int IndexOf(ReadOnlySpan<byte> id) => (int)slots[Find(id, Hash(id))] - 1;

    /// <summary>The slot holding the id, or the empty slot where it would go.</summary>
    private int Find(ReadOnlySpan<byte> id, int hash)
    {
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
        if (arenaLength + id.Length > arena.Length)
        {
            Array.Resize(ref arena, Math.Max(arena.Length * 2, arenaLength + id.Length));
        }
        if (Count == starts.Length)
        {
            Array.Resize(ref starts, Count * 2);
            Array.Resize(ref lengths, Count * 2);
            Array.Resize(ref hashes, Count * 2);
        }
        id.CopyTo(arena.AsSpan(arenaLength));
        var k = Count++;
        (starts[k], lengths[k], hashes[k]) = (arenaLength, id.Length, hash);
        arenaLength += id.Length;
        slots[slot] = ((long)hash << 32) | (uint)(k + 1);
        if (Count * 2 > slots.Length)
        {
            Grow();
        }
        return k;
    }

    private void Grow()
    {
        var old = slots;
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
