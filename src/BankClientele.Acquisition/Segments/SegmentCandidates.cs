using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BankClientele.Acquisition.Segments;

/// <summary>
/// Candidate segments of a branch's open prospects: one per combination of values of the chosen
/// dimensions (within the given criteria), or one per defined segment, with size, reachability and
/// the expected value of similar existing customers, in one set-based query each.
/// </summary>
public static class SegmentCandidates
{
    public const int MaxGroupBy = 3;

    private sealed record Row(string? Key1, string? Key2, string? Key3, long Size, long Reachable, long SimilarCustomers, decimal? Clv, decimal? Deposits);

    private sealed record BranchValue(decimal? Clv, long Customers);

    /// <summary>The mean CLV Insights reported of the branch's existing customers (their branch as CustomerRegistered told it).</summary>
    public static async Task<decimal?> BranchClvAsync(AcquisitionDbContext db, string branch, CancellationToken ct) =>
        (await db.Database.SqlQuery<BranchValue>($"""
            SELECT avg(v.expected_lifetime_value) AS clv, count(*) AS customers
            FROM customer_values v LEFT JOIN existing_customers e ON e.customer_id = v.customer_id
            WHERE coalesce(e.branch_code, v.branch_code) = {branch}
            """).SingleAsync(ct)).Clv;

    public static async Task<List<SegmentCandidate>> GenerateAsync(
        AcquisitionDbContext db, string branch, SegmentCriteria within, IReadOnlyList<SegmentDimension> groupBy, decimal? branchClv,
        string? definedName, CancellationToken ct)
    {
        if (groupBy.Count > MaxGroupBy)
        {
            throw new ArgumentException($"At most {MaxGroupBy} dimensions.", nameof(groupBy));
        }
        var parameters = new List<NpgsqlParameter> { new("branch", branch) };
        var where = new StringBuilder("p.branch_code = @branch");
        foreach (var (name, value) in within.Set())
        {
            var dimension = SegmentDimensions.Named(name)!;
            var parameter = "c_" + name;
            parameters.Add(new NpgsqlParameter(parameter, value));
            where.Append(dimension.Sql == SegmentDimensions.TagSql
                ? $" AND EXISTS (SELECT 1 FROM regexp_split_to_table(coalesce(p.tags, ''), '[,|]') x WHERE trim(x) = @{parameter})"
                : $" AND {dimension.Sql} = @{parameter}");
        }
        var keys = Enumerable.Range(0, MaxGroupBy)
            .Select(i => i < groupBy.Count ? $"coalesce({groupBy[i].Sql}, '-')" : "NULL::text").ToList();
        var groupsOnTags = groupBy.Any(d => d.Sql == SegmentDimensions.TagSql);
        var usesTouches = groupBy.Any(d => d.Sql == SegmentDimensions.TouchesSql) || within.Touches is not null;
        var sql = $"""
            SELECT {keys[0]} AS key1, {keys[1]} AS key2, {keys[2]} AS key3,
                   count(*) FILTER (WHERE p.customer_id IS NULL) AS size,
                   count(*) FILTER (WHERE p.customer_id IS NULL AND p.marketing_consent
                                    AND NOT EXISTS (SELECT 1 FROM do_not_contact d WHERE d.phone_hash = p.phone_hash)) AS reachable,
                   count(v.customer_id) AS similar_customers,
                   avg(v.expected_lifetime_value) AS clv,
                   avg(coalesce(p.deposit_after90days, p.initial_deposit)) FILTER (WHERE p.customer_id IS NOT NULL) AS deposits
            FROM prospects p
            LEFT JOIN customer_values v ON v.customer_id = p.customer_id
            {(usesTouches ? "LEFT JOIN (SELECT prospect_id, count(*) AS n FROM prospect_touches WHERE prospect_id IN (SELECT id FROM prospects WHERE branch_code = @branch) GROUP BY prospect_id) tc ON tc.prospect_id = p.id" : "")}
            {(groupsOnTags ? "LEFT JOIN LATERAL (SELECT DISTINCT trim(x) AS tag FROM regexp_split_to_table(p.tags, '[,|]') x WHERE trim(x) <> '') t ON true" : "")}
            WHERE {where}
            GROUP BY 1, 2, 3
            """;
        var rows = await db.Database.SqlQueryRaw<Row>(sql, parameters.Cast<object>().ToArray()).ToListAsync(ct);
        return rows.Where(r => r.Size > 0).Select(r =>
        {
            var values = new[] { r.Key1, r.Key2, r.Key3 };
            var criteria = within;
            for (var i = 0; i < groupBy.Count; i++)
            {
                criteria = criteria.With(groupBy[i].Name, values[i]!);
            }
            var (value, basis) = SegmentScoring.ExpectedValue(r.Clv, (int)r.SimilarCustomers, branchClv, r.Deposits);
            var label = definedName ?? string.Join(" · ", criteria.Set().Values);
            return new SegmentCandidate(label.Length == 0 ? "*" : label, criteria, (int)r.Size, (int)r.Reachable, value, basis, (int)r.SimilarCustomers, definedName);
        }).ToList();
    }
}
