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

    // Slot → id + 1 (0 is empty); kept at most half full.
    private int[] slots;

    /// <param name="capacity">Ids expected, so that a table whose size is known never grows.</param>
    public CustomerIdTable(int capacity = 1024)
    {
        capacity = Math.Max(16, capacity);
        arena = new byte[capacity * 8];
        starts = new int[capacity];
        lengths = new int[capacity];
        hashes = new int[capacity];
        slots = new int[(int)BitOperations.RoundUpToPowerOf2((uint)capacity * 2)];
    }

    public int Count { get; private set; }

    public ReadOnlySpan<byte> this[int id] => arena.AsSpan(starts[id], lengths[id]);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int GetOrAdd(ReadOnlySpan<byte> id)
    {
        var hash = Hash(id);
        var mask = slots.Length - 1;
        var slot = hash & mask;
        while (slots[slot] != 0)
        {
            var k = slots[slot] - 1;
            if (hashes[k] == hash && this[k].SequenceEqual(id))
            {
                return k;
            }
            slot = (slot + 1) & mask;
        }
        return Add(id, hash, slot);
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
        slots[slot] = k + 1;
        if (Count * 2 > slots.Length)
        {
            Grow();
        }
        return k;
    }

    private void Grow()
    {
        slots = new int[slots.Length * 2];
        var mask = slots.Length - 1;
        for (var k = 0; k < Count; k++)
        {
            var slot = hashes[k] & mask;
            while (slots[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }
            slots[slot] = k + 1;
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
