namespace BankClientele.Acquisition.Import;

/// <summary>
/// Groups the rows of one file that are the same person: rows sharing a phone hash or an ID number
/// hash are one group (transitively, by union-find), named by its first row. Keys are the first 8
/// bytes of the 32-byte hashes (a false match needs a 64-bit collision).
/// </summary>
public sealed class DuplicateGroups
{
    private readonly List<int> parent = [];
    private readonly Dictionary<ulong, int> byKey = [];

    public int Count => parent.Count;

    /// <summary>Adds row <see cref="Count"/> with its keys (null when absent) and returns its index.</summary>
    public int Add(string? phoneHash, string? idHash)
    {
        var row = parent.Count;
        parent.Add(row);
        Link(row, phoneHash);
        Link(row, idHash);
        return row;
    }

    /// <summary>The group of a row: the index of its first row.</summary>
    public int GroupOf(int row)
    {
        var root = row;
        while (parent[root] != root)
        {
            root = parent[root];
        }
        while (parent[row] != root)
        {
            (row, parent[row]) = (parent[row], root);
        }
        return root;
    }

    private void Link(int row, string? hash)
    {
        if (hash is null)
        {
            return;
        }
        var key = ulong.Parse(hash.AsSpan(0, 16), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture);
        if (byKey.TryGetValue(key, out var other))
        {
            var a = GroupOf(row);
            var b = GroupOf(other);
            if (a != b)
            {
                // The smaller index stays the root, so a group is named by its first row.
                if (a < b) { parent[b] = a; } else { parent[a] = b; }
            }
        }
        else
        {
            byKey[key] = row;
        }
    }
}
