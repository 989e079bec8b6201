using Npgsql;

namespace BankClientele.Testing;

public static class TestDatabases
{
    /// <summary>Drops a test database (closing its connections) so a run starts from nothing.</summary>
    public static async Task DropAsync(string name)
    {
        await using var connection = new NpgsqlConnection(TestServers.Database("postgres"));
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    public static async Task<T> ScalarAsync<T>(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(TestServers.Database(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
