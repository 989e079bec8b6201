using Npgsql;

namespace BankClientele.CustomerCare.Feed;

internal static class FeedSql
{
    /// <returns>The rows the (last) statement wrote.</returns>
    public static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        command.Parameters.AddRange(parameters);
        return await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Inserted and updated rows of a merge's result table (columns <c>inserted</c>).</summary>
    public static async Task<MergeCounts> CountsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string table, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT count(*) FILTER (WHERE inserted)::int, count(*) FILTER (WHERE NOT inserted)::int FROM {table}", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new MergeCounts(reader.GetInt32(0), reader.GetInt32(1));
    }
}
