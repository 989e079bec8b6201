using BankClientele.Acquisition;
using BankClientele.CustomerCare;
using BankClientele.FootTraffic;
using BankClientele.Hosting.Database;
using BankClientele.Insights;
using BankClientele.Portal.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace BankClientele.Hosting.Tests.Migrations;

/// <summary>Every service's migration history, applied to an empty database as the migrate step does.</summary>
public sealed class MigrationTests
{
    public static IEnumerable<TestCaseData> Contexts()
    {
        yield return new TestCaseData(typeof(CustomerCareDbContext)).SetArgDisplayNames("CustomerCare");
        yield return new TestCaseData(typeof(AcquisitionDbContext)).SetArgDisplayNames("Acquisition");
        yield return new TestCaseData(typeof(FootTrafficDbContext)).SetArgDisplayNames("FootTraffic");
        yield return new TestCaseData(typeof(InsightsDbContext)).SetArgDisplayNames("Insights");
        yield return new TestCaseData(typeof(PortalDbContext)).SetArgDisplayNames("Portal");
    }

    [TestCaseSource(nameof(Contexts))]
    public async Task Every_migration_applies_to_an_empty_database_reapplying_changes_nothing_and_the_model_has_no_pending_changes(Type contextType)
    {
        var database = TestServers.DatabaseName($"bankclientele_test_migrations_{contextType.Name.Replace("DbContext", "", StringComparison.Ordinal).ToLowerInvariant()}");
        await TestDatabases.DropAsync(database);
        var create = typeof(DatabaseRegistration).GetMethod(nameof(DatabaseRegistration.CreateContext))!.MakeGenericMethod(contextType);
        await using var db = (DbContext)create.Invoke(null, [TestServers.Database(database)])!;

        var all = db.Database.GetMigrations().ToList();
        Assert.That(all, Is.Not.Empty);
        await db.Database.MigrateAsync();
        Assert.That(await db.Database.GetAppliedMigrationsAsync(), Is.EqualTo(all));
        var schema = await SchemaAsync(database);
        Assert.That(schema, Is.Not.Empty);

        await db.Database.MigrateAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(await db.Database.GetAppliedMigrationsAsync(), Is.EqualTo(all));
            Assert.That(await SchemaAsync(database), Is.EqualTo(schema), "re-applying changed the schema");
            Assert.That(db.Database.HasPendingModelChanges(), Is.False, "the model has changes no migration captures: run dotnet ef migrations add");
        });

        // The script a DBA runs by hand must be idempotent (guarded by the history table).
        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
        Assert.That(script, Does.Contain("__EFMigrationsHistory").And.Contain("IF NOT EXISTS"));
        await TestDatabases.DropAsync(database);
    }

    private static async Task<string> SchemaAsync(string database)
    {
        await using var connection = new NpgsqlConnection(TestServers.Database(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT string_agg(table_name || '.' || column_name || ':' || data_type || ':' || is_nullable, E'\n' ORDER BY table_name, column_name)
            FROM information_schema.columns WHERE table_schema = 'public'
            """, connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
