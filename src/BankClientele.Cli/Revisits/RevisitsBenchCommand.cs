using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BankClientele.Cli.Infrastructure;
using BankClientele.CustomerCare;
using BankClientele.CustomerCare.Revisits;
using BankClientele.Hosting.Database;
using BankClientele.Hosting.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Spectre.Console;

namespace BankClientele.Cli.Revisits;

/// <summary>
/// <c>bench revisits --customers N</c>: the nightly revisit pass over N generated customers in a
/// scratch database (tiers, a week of balances with some large outflows, maturing time deposits,
/// past visits), timed; ends with one JSON line.
/// </summary>
public static class RevisitsBenchCommand
{
    public static Command Create(CliContext context)
    {
        var customers = new Option<int>("--customers") { Description = "How many customers to generate.", DefaultValueFactory = _ => 100_000 };
        var database = new Option<string>("--database")
        {
            Description = "The scratch database (dropped and recreated on the CustomerCare server).",
            DefaultValueFactory = _ => "bankclientele_bench_revisits",
        };
        var command = new Command("revisits", "Time the nightly revisit pass (cadence, flight risk, maturity, escalation) over N generated customers.")
        {
            customers,
            database,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(customers) is < 1 or > 10_000_000)
            {
                result.AddError("--customers must be between 1 and 10,000,000.");
            }
        });
        command.SetCliAction(context, (parse, ct) => RunAsync(context, parse.GetValue(customers), parse.GetValue(database)!, ct));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, int customers, string database, CancellationToken ct)
    {
        var server = new NpgsqlConnectionStringBuilder(context.Settings.ConnectionString(ServiceCatalog.CustomerCare));
        var scratch = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = database, CommandTimeout = 0 }.ConnectionString;
        var today = BranchClock.System.Today;
        RevisitRunResult? result = null;
        double seconds = 0;

        await context.Console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var prepare = progress.AddTask("Scratch database, migrated", maxValue: 1);
                var generate = progress.AddTask($"{customers:N0} customers, balances, holdings, past visits", maxValue: 4);
                var pass = progress.AddTask("Nightly revisit pass", maxValue: 1);

                await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "postgres" }.ConnectionString))
                {
                    await admin.OpenAsync(ct);
                    await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", admin);
                    await drop.ExecuteNonQueryAsync(ct);
                }
                await using (var db = DatabaseRegistration.CreateContext<CustomerCareDbContext>(scratch))
                {
                    await db.Database.MigrateAsync(ct);
                }
                prepare.Increment(1);

                await using var connection = new NpgsqlConnection(scratch);
                await connection.OpenAsync(ct);
                foreach (var sql in Generation(customers))
                {
                    await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
                    command.Parameters.AddWithValue("n", customers);
                    command.Parameters.AddWithValue("today", today);
                    await command.ExecuteNonQueryAsync(ct);
                    generate.Increment(1);
                }

                await using (var db = DatabaseRegistration.CreateContext<CustomerCareDbContext>(scratch))
                {
                    var job = new NightlyRevisitJob(db, Options.Create(new RevisitOptions()), TimeProvider.System);
                    var watch = Stopwatch.StartNew();
                    result = await job.RunAsync(today, ct);
                    seconds = watch.Elapsed.TotalSeconds;
                }
                pass.Increment(1);
            });

        context.Note($"As of {today:yyyy-MM-dd}: {result!.Scheduled:N0} scheduled, {result.FlightRisk:N0} flight risk, {result.Maturity:N0} maturity, " +
                     $"{result.Reminders:N0} reminders, {result.ReturnedToPool:N0} back to the pool.");
        foreach (var step in result.Steps)
        {
            context.Note(string.Create(CultureInfo.InvariantCulture, $"  {step.Name,-32} {step.Rows,10:N0} rows {step.Seconds,8:F2} s"));
        }
        var line = JsonSerializer.Serialize(new
        {
            customers,
            seconds = Math.Round(seconds, 2),
            created = result.Created,
            steps = result.Steps.ToDictionary(step => step.Name, step => step.Seconds),
        });
        await context.RawOut.WriteLineAsync(line);
        await context.RawOut.FlushAsync(ct);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Set-based generation. Tiers: 2 % private banking, 8 % high net worth, 20 % wealth, 30 %
    /// affluent, 40 % mass; joined up to 400 days ago; every customer has balances today and a week
    /// ago (1 % with a large outflow); 10 % a time deposit maturing within 60 days; 30 % a past visit;
    /// 10 % an open welcome visit up to 49 days overdue, escalated as of yesterday, so that tonight's
    /// escalation has work (newly overdue, newly told to the lead, a backlog back to the pool).
    /// </summary>
    private static string[] Generation(int customers) =>
    [
        """
        INSERT INTO customers (id, customer_number, full_name, phone, branch_code, account_number, initial_deposit, relationship_manager_id,
                               joined_at, tags, tier, average_assets, deposit_balance, wealth_balance)
        SELECT md5('c' || i)::uuid, 'C' || i, '客户' || i, '13900000000', 'B' || lpad((i % 500)::text, 3, '0'), 'A' || i, 0,
               'RM-' || lpad((i % 500)::text, 3, '0') || '-' || (i % 4 + 1),
               now() - make_interval(days => (hashint4(i) & 1023) % 400), ARRAY[]::text[],
               CASE WHEN i % 50 = 0 THEN 'PrivateBanking' WHEN i % 50 < 5 THEN 'HighNetWorth' WHEN i % 50 < 15 THEN 'Wealth'
                    WHEN i % 50 < 30 THEN 'Affluent' ELSE 'Mass' END, 0, 0, 0
        FROM generate_series(1, @n) i
        """,
        """
        INSERT INTO daily_balances (customer_id, date, deposit, wealth)
        SELECT md5('c' || i)::uuid, d.date, CASE WHEN i % 100 = 7 AND d.date = @today THEN 200000 ELSE 500000 END, 0
        FROM generate_series(1, @n) i CROSS JOIN (VALUES (@today), (@today - 7)) d(date)
        """,
        """
        INSERT INTO holdings (account_number, customer_id, product_code, opened_on, matures_on, balance)
        SELECT 'TD' || i, md5('c' || i)::uuid, 'TD-1Y', @today - 300, @today + (i % 60), 100000
        FROM generate_series(10, @n, 10) i
        """,
        """
        INSERT INTO revisits (id, customer_id, branch_code, relationship_manager_id, reason, due_on, status, created_at, escalation_level, completed_at, channel, outcome, on_time)
        SELECT gen_random_uuid(), md5('c' || i)::uuid, 'B' || lpad((i % 500)::text, 3, '0'), 'RM-' || lpad((i % 500)::text, 3, '0') || '-' || (i % 4 + 1),
               'scheduled', @today - (i % 90) - 10, 'Completed', now() - make_interval(days => (i % 90) + 12), 0,
               now() - make_interval(days => (i % 90) + 10), 'phone', 'met', true
        FROM generate_series(3, @n, 3) i;
        INSERT INTO revisits (id, customer_id, branch_code, relationship_manager_id, reason, detail, due_on, status, created_at, escalation_level)
        SELECT gen_random_uuid(), md5('c' || i)::uuid, 'B' || lpad((i % 500)::text, 3, '0'), 'RM-' || lpad((i % 500)::text, 3, '0') || '-' || (i % 4 + 1),
               'welcome', 'new manager', @today - (i / 10) % 50, 'Open', now() - make_interval(days => (i / 10) % 50 + 3),
               CASE WHEN (i / 10) % 50 > 3 THEN 2 WHEN (i / 10) % 50 > 1 THEN 1 ELSE 0 END
        FROM generate_series(1, @n, 10) i;
        ANALYZE customers; ANALYZE daily_balances; ANALYZE holdings; ANALYZE revisits;
        """,
    ];
}
