using System.Text.Json;
using Npgsql;

namespace BankClientele.Cli.Tests;

/// <summary><c>bench prospects</c> end to end on the local PostgreSQL, small: the whole import, its phases and one JSON line.</summary>
public sealed class ProspectsBenchTests
{
    [Test]
    public async Task A_small_prospect_bench_imports_merges_and_records_every_row()
    {
        // The test run's own scratch database (BANKCLIENTELE_TEST_ISOLATION), never a demo's.
        var isolation = Environment.GetEnvironmentVariable("BANKCLIENTELE_TEST_ISOLATION") is { Length: > 0 } name ? name : null;
        var database = isolation is null ? "bankclientele_test_prospects" : $"bankclientele_test_prospects_{isolation}";
        var server = Environment.GetEnvironmentVariable("BANKCLIENTELE_TEST_POSTGRES") ?? "Host=127.0.0.1;Port=55432;Username=bankclientele;Password=bankclientele";
        var cli = new TestCli(new Dictionary<string, string?> { ["ConnectionStrings:Acquisition"] = $"{server};Database={database}", ["Privacy:MatchingKey"] = TestCli.MatchingKey });
        try
        {
            var exit = await cli.RunAsync("bench", "prospects", "--rows", "3000");
            Assert.That(exit, Is.Zero, cli.Error);
            using var json = JsonDocument.Parse(cli.Out.Trim().Split('\n')[^1]);
            var root = json.RootElement;
            var merged = root.GetProperty("merged").GetInt32();
            await using var connection = new NpgsqlConnection($"{server};Database={database}_bench");
            await connection.OpenAsync();
            async Task<long> Count(string sql)
            {
                await using var command = new NpgsqlCommand(sql, connection);
                return Convert.ToInt64(await command.ExecuteScalarAsync());
            }
            await Assert.MultipleAsync(async () =>
            {
                Assert.That(root.GetProperty("rows").GetInt32(), Is.EqualTo(3000));
                // A tenth of the generated rows repeat someone; a few of those repeat a repeat, a new person.
                Assert.That(merged, Is.InRange(250, 300));
                Assert.That(root.GetProperty("ratio").GetDouble(), Is.Positive);
                Assert.That(cli.Error, Does.Contain("insert-prospects").And.Contain("touches"), "the phases are printed");
                Assert.That(await Count("SELECT count(*) FROM prospects"), Is.EqualTo(3000 - merged));
                Assert.That(await Count("SELECT count(*) FROM prospect_touches"), Is.EqualTo(3000), "every row is a touch");
                Assert.That(await Count("SELECT count(*) FROM prospect_consents"), Is.EqualTo(await Count(
                    "SELECT count(*) FROM prospect_touches t JOIN prospects p ON p.id = t.prospect_id WHERE p.marketing_consent")),
                    "a consent for each row of a consenting person (every fifth)");
                Assert.That(await Count("SELECT coalesce(sum(leads), 0) FROM lead_stage_counts"), Is.EqualTo(3000 - merged), "the figures count the new leads");
            });
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection($"{server};Database=postgres");
            await admin.OpenAsync();
            foreach (var scratch in new[] { database + "_bench", database })
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{scratch}\" WITH (FORCE)", admin);
                await drop.ExecuteNonQueryAsync();
            }
        }
    }
}
