using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using BankClientele.Cli.Infrastructure;
using BankClientele.Cli.Seed;
using BankClientele.FootTraffic;
using BankClientele.FootTraffic.Profile;
using BankClientele.FootTraffic.Visits;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Database;
using BankClientele.Hosting.Privacy;
using BankClientele.Hosting.Time;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Spectre.Console;

namespace BankClientele.Cli.Bench;

/// <summary>
/// <c>bench visits</c> and <c>bench profile</c>: foot-traffic's queue-log import and traffic profile,
/// timed on a scratch copy of its database (ConnectionStrings:FootTraffic with "_bench" appended),
/// created, migrated and dropped by the command; progress on stderr, one JSON line of figures on stdout.
/// </summary>
public static class TrafficBenchCommands
{
    public static Command Visits(CliContext context)
    {
        var events = new Option<int>("--events") { Description = "Queue-log rows (tickets with their events) to import.", Required = true, HelpName = "N" };
        events.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 10_000_000) { r.AddError("--events must be between 1 and 10000000."); }
        });
        var command = new Command("visits", "Time the queue-log import (parse, checks, binary COPY to staging, set-based merge, outbox) of N demo rows against a plain COPY of the same rows; ends with {\"events\",\"seconds\",\"copySeconds\",\"ratio\"}.")
        {
            events,
        };
        command.SetCliAction(context, async (parse, ct) =>
        {
            var n = parse.GetValue(events);
            var file = Path.Combine(Path.GetTempPath(), $"bankclientele-bench-visits-{Environment.ProcessId}.csv");
            try
            {
                var connection = await BenchDatabaseAsync(context, ct);
                double seconds = 0, copySeconds = 0, clientCpuSeconds = 0;
                VisitLogPhases phases = null!;
                await context.Errors.Status().StartAsync($"Generating {n:N0} queue-log rows…", async status =>
                {
                    await WriteRowsAsync(file, n, ct);
                    status.Status($"Importing {n:N0} rows through the queue-log importer…");
                    await using (var db = DatabaseRegistration.CreateContext<FootTrafficDbContext>(connection))
                    using (var reader = new StreamReader(file))
                    {
                        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                        var watch = Stopwatch.StartNew();
                        // The importer's connection, opened here to know its backend: each phase's CPU in the
                        // database server is read off /proc (when the server runs on this machine).
                        await db.Database.OpenConnectionAsync(ct);
                        phases = new VisitLogPhases { DatabaseCpu = BackendCpu(await BackendPidAsync((NpgsqlConnection)db.Database.GetDbConnection(), ct)) };
                        var result = await new VisitLogImporter(PersonalDataHash.FromConfiguration(context.Settings.Configuration))
                            .ImportAsync(db, reader, new DataScope(StaffRoles.Administrator, "bench", null), ct, phases);
                        seconds = watch.Elapsed.TotalSeconds;
                        clientCpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                        if (!result.Applied || result.Added != n)
                        {
                            throw new CliException($"The bench import did not apply as expected: {result.Added} added of {n}, {result.ErrorCount} errors.");
                        }
                    }
                    status.Status($"Plain COPY of the same {n:N0} rows…");
                    copySeconds = await PlainCopyAsync(connection, file, ct);
                });
                context.Note($"import {seconds:0.00} s (of which {clientCpuSeconds:0.00} s CPU in this process: parsing and checks), plain COPY {copySeconds:0.00} s; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
                // Where the import's time went: staging = reading, checking and the binary COPY to the staging table.
                context.Note($"import phases ({phases.Path} tickets), seconds of wall / CPU here / CPU in the database: "
                    + string.Join(", ", phases.All.Select(p => $"{p.Phase} {p.Time.TotalSeconds:0.00} / {p.Cpu.TotalSeconds:0.00} / {p.DatabaseCpu.TotalSeconds:0.00}")));
                context.RawOut.WriteLine(JsonSerializer.Serialize(new
                {
                    events = n,
                    seconds = Math.Round(seconds, 3),
                    copySeconds = Math.Round(copySeconds, 3),
                    ratio = Math.Round(seconds / copySeconds, 2),
                }));
                await DropAsync(connection, ct);
                return ExitCodes.Ok;
            }
            finally
            {
                File.Delete(file);
            }
        });
        return command;
    }

    public static Command Profile(CliContext context)
    {
        var branch = new Option<string>("--branch") { Description = "A demo branch code, e.g. SH001.", Required = true, HelpName = "code" };
        branch.AcceptOnlyFromAmong([.. DemoNetwork.Branches.Select(b => b.Code)]);
        var command = new Command("profile", "Import a year of a demo branch's queue logs into a scratch database, then time its traffic profile over the year from the rollups (median of 5 runs after a warm-up) against the same figures computed by scanning the visits; ends with {\"visits\",\"milliseconds\",\"scanMilliseconds\",\"ratio\"}.")
        {
            branch,
        };
        command.SetCliAction(context, async (parse, ct) =>
        {
            var code = parse.GetValue(branch)!;
            var connection = await BenchDatabaseAsync(context, ct);
            var today = BranchClock.System.Today;
            TrafficProfile profile = null!;
            var timings = new List<double>();
            var scans = new List<double>();
            await context.Errors.Status().StartAsync($"Importing a year of {code}'s demo queue logs…", async status =>
            {
                var csv = string.Join('\n', TrafficDemo.Year(TrafficDemo.BranchIndex(code), today));
                await using (var db = DatabaseRegistration.CreateContext<FootTrafficDbContext>(connection))
                {
                    await new VisitLogImporter(PersonalDataHash.FromConfiguration(context.Settings.Configuration))
                        .ImportAsync(db, new StringReader(csv), new DataScope(StaffRoles.Administrator, "bench", null), ct);
                }
                await using var conn = new NpgsqlConnection(connection);
                await conn.OpenAsync(ct);
                await using (var analyze = new NpgsqlCommand("ANALYZE branch_visits", conn))
                {
                    await analyze.ExecuteNonQueryAsync(ct);
                }
                status.Status("Profiling…");
                for (var run = 0; run < 6; run++)
                {
                    var watch = Stopwatch.StartNew();
                    profile = await TrafficProfiler.ProfileAsync(conn, code, today.AddDays(-365), today, ct);
                    if (run > 0) { timings.Add(watch.Elapsed.TotalMilliseconds); }
                }
                status.Status("The same figures by scanning the visits (baseline)…");
                for (var run = 0; run < 6; run++)
                {
                    var watch = Stopwatch.StartNew();
                    await ScanBaselineAsync(conn, code, today.AddDays(-365), today, ct);
                    if (run > 0) { scans.Add(watch.Elapsed.TotalMilliseconds); }
                }
            });
            timings.Sort();
            scans.Sort();
            var median = timings[timings.Count / 2];
            var scan = scans[scans.Count / 2];
            context.RawOut.WriteLine(JsonSerializer.Serialize(new
            {
                visits = profile.Visits, milliseconds = Math.Round(median, 1), scanMilliseconds = Math.Round(scan, 1), ratio = Math.Round(median / scan, 3),
            }));
            await DropAsync(connection, ct);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// The baseline: the profile's figures computed straight from the visits (as the profile did before the
    /// rollups): totals and wait percentiles, the weekday-hour means, service types and the weekly trend.
    /// </summary>
    private static async Task ScanBaselineAsync(NpgsqlConnection connection, string branch, DateOnly from, DateOnly to, CancellationToken ct)
    {
        const string wait = "extract(epoch FROM COALESCE(called_at, service_started_at) - arrived_at) / 60.0";
        const string where = "FROM branch_visits WHERE branch_code = @b AND arrived_at >= @from AND arrived_at < @to";
        await using var command = new NpgsqlCommand($"""
            SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY {wait}), percentile_cont(0.9) WITHIN GROUP (ORDER BY {wait}),
                   avg((abandoned_at IS NOT NULL)::int), count(customer_id) {where};
            WITH v AS (SELECT arrived_at AT TIME ZONE '{BranchClock.SqlZone}' AS local {where}),
                 days AS (SELECT extract(isodow FROM local)::int AS dow, count(DISTINCT local::date) AS n FROM v GROUP BY 1)
            SELECT extract(isodow FROM local)::int, extract(hour FROM local)::int, count(*)::float8 / max(days.n)
            FROM v JOIN days ON days.dow = extract(isodow FROM local)::int GROUP BY 1, 2;
            SELECT service_type, count(*), avg(extract(epoch FROM service_ended_at - service_started_at) / 60.0) {where} GROUP BY 1;
            SELECT date_trunc('week', arrived_at AT TIME ZONE '{BranchClock.SqlZone}')::date, count(*),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY {wait}), percentile_cont(0.9) WITHIN GROUP (ORDER BY {wait}),
                   avg((abandoned_at IS NOT NULL)::int) {where} GROUP BY 1;
            """, connection);
        command.Parameters.AddWithValue("b", branch);
        command.Parameters.AddWithValue("from", BranchClock.StartOfDay(from).ToUniversalTime());
        command.Parameters.AddWithValue("to", BranchClock.StartOfDay(to).ToUniversalTime());
        await using var reader = await command.ExecuteReaderAsync(ct);
        do
        {
            while (await reader.ReadAsync(ct)) { }
        }
        while (await reader.NextResultAsync(ct));
    }

    /// <summary>The demo generator's rows, branch-days in turn, until <paramref name="n"/> (header first).</summary>
    private static async Task WriteRowsAsync(string file, int n, CancellationToken ct)
    {
        await using var writer = new StreamWriter(file, false, new UTF8Encoding(false), 1 << 16);
        await writer.WriteLineAsync(TrafficDemo.Header);
        var written = 0;
        var today = BranchClock.System.Today;
        for (var day = today.AddDays(-1); written < n; day = day.AddDays(-1))
        {
            for (var b = 0; b < DemoNetwork.Branches.Count && written < n; b++)
            {
                foreach (var row in TrafficDemo.Day(b, day))
                {
                    await writer.WriteLineAsync(row.AsMemory(), ct);
                    if (++written == n) { break; }
                }
            }
        }
    }

    private static async Task<double> PlainCopyAsync(string connectionString, string file, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        await using (var create = new NpgsqlCommand("""
            CREATE TABLE bench_plain_copy (branch_code text, ticket_number text, service_type text, issued_at timestamptz, called_at timestamptz,
                counter text, service_started_at timestamptz, service_ended_at timestamptz, abandoned_at timestamptz, customer_number text, phone text)
            """, conn))
        {
            await create.ExecuteNonQueryAsync(ct);
        }
        var watch = Stopwatch.StartNew();
        await using (var writer = await conn.BeginTextImportAsync("COPY bench_plain_copy FROM STDIN (FORMAT csv, HEADER true)", ct))
        using (var reader = new StreamReader(file))
        {
            var buffer = new char[1 << 16];
            int read;
            while ((read = await reader.ReadAsync(buffer, ct)) > 0)
            {
                await writer.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }
        return watch.Elapsed.TotalSeconds;
    }

    private static async Task<int> BackendPidAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        return (int)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>A backend's user + system CPU from /proc/PID/stat (fields 14 and 15, in clock ticks of 1/100 s); zero when not readable.</summary>
    private static Func<TimeSpan> BackendCpu(int pid) => () =>
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // fields from the 3rd on
            return TimeSpan.FromSeconds((long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0);
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }
    };

    /// <summary>A fresh, migrated scratch database beside foot-traffic's.</summary>
    private static async Task<string> BenchDatabaseAsync(CliContext context, CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(context.Settings.ConnectionString(ServiceCatalog.FootTraffic));
        builder.Database += "_bench";
        var bench = builder.ConnectionString;
        await DropAsync(bench, ct);
        await using (var db = DatabaseRegistration.CreateContext<FootTrafficDbContext>(bench))
        {
            await db.Database.MigrateAsync(ct); // creates the database too
        }
        return bench;
    }

    private static async Task DropAsync(string connectionString, CancellationToken ct)
    {
        NpgsqlConnection.ClearAllPools();
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var name = builder.Database!;
        builder.Database = "postgres";
        await using var conn = new NpgsqlConnection(builder.ConnectionString);
        await conn.OpenAsync(ct);
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", conn);
        await drop.ExecuteNonQueryAsync(ct);
    }

}
