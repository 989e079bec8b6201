using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using BankClientele.Acquisition;
using BankClientele.Acquisition.Campaigns;
using BankClientele.Acquisition.Import;
using BankClientele.Cli.Infrastructure;
using BankClientele.Cli.Seed;
using BankClientele.Hosting.Database;
using BankClientele.Hosting.Privacy;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Spectre.Console;
using Sylvan.Data.Csv;

namespace BankClientele.Cli.Import;

/// <summary>
/// <c>bench prospects --rows N</c> and <c>bench campaign-figures --leads N</c>: Acquisition's import and
/// figures, run in this process on a scratch database beside Acquisition's (<c>…_bench</c>, migrated and
/// emptied first), so a demo's data is never touched. Progress on stderr, one JSON line on stdout.
/// </summary>
public static class ProspectsBench
{
    public static Command Prospects(CliContext context)
    {
        var rows = new Option<int>("--rows") { Description = "Rows of the generated prospect list (about a tenth are duplicates).", DefaultValueFactory = _ => 100_000 };
        rows.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 10_000_000) { r.AddError("--rows must be 1 to 10,000,000."); } });
        var prospects = new Command("prospects", "Time the prospect import (read, check, hash, COPY to staging, match and merge) against a plain binary COPY of the same file.") { rows };
        prospects.SetCliAction(context, async (parse, ct) => await RunImportAsync(context, parse.GetValue(rows), ct));
        return prospects;
    }

    public static Command CampaignFigures(CliContext context)
    {

        var leads = new Option<int>("--leads") { Description = "Leads over 50 campaigns.", DefaultValueFactory = _ => 100_000 };
        leads.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 10_000_000) { r.AddError("--leads must be 1 to 10,000,000."); } });
        var figures = new Command("campaign-figures", "Time the per-campaign figures (funnel, deposits, cost, CAC) over N leads.") { leads };
        figures.SetCliAction(context, async (parse, ct) => await RunFiguresAsync(context, parse.GetValue(leads), ct));
        return figures;
    }

    private static async Task<int> RunImportAsync(CliContext context, int rowCount, CancellationToken ct)
    {
        var connectionString = await PrepareDatabaseAsync(context, ct);
        var file = new FileInfo(Path.Combine(Path.GetTempPath(), $"bankclientele-bench-prospects-{rowCount}.csv"));
        double copySeconds = 0;
        ImportResult? result = null;
        await context.Errors.Status().StartAsync("Preparing", async status =>
        {
            status.Status($"Writing {rowCount:N0} rows to {file.FullName}");
            await WriteListAsync(file, rowCount, ct);
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            status.Status("Baseline: binary COPY of the same file into a plain table");
            copySeconds = await CopyBaselineAsync(connection, file, ct);
            status.Status($"Import with matching and merging ({file.Length / 1_000_000.0:0} MB)");
            await using var stream = file.OpenRead();
            result = await ProspectImporter.ImportAsync(connection, stream, PersonalDataHash.FromConfiguration(context.Settings.Configuration),
                new ImportOptions("BENCH", _ => true), ct);
        });
        file.Delete();
        if (!result!.Applied)
        {
            throw new CliException($"The generated list was refused: {string.Join("; ", result.Errors.Take(5))}");
        }
        context.Note($"{result.Rows:N0} rows: {result.Inserted:N0} new prospects, {result.Merged:N0} merged; import {result.Seconds:0.00} s, COPY {copySeconds:0.00} s.");
        context.Note("Phases (s): " + string.Join(", ", (result.Phases ?? new Dictionary<string, double>()).Select(p => $"{p.Key} {p.Value:0.00}")));
        context.RawOut.WriteLine(JsonSerializer.Serialize(new
        {
            rows = result.Rows,
            seconds = Math.Round(result.Seconds, 3),
            copySeconds = Math.Round(copySeconds, 3),
            ratio = Math.Round(result.Seconds / copySeconds, 2),
            merged = result.Merged,
        }));
        return ExitCodes.Ok;
    }

    private static async Task<int> RunFiguresAsync(CliContext context, int leadCount, CancellationToken ct)
    {
        var connectionString = await PrepareDatabaseAsync(context, ct);
        var timings = new List<double>();
        var campaigns = 0;
        await context.Errors.Status().StartAsync("Preparing", async status =>
        {
            status.Status($"Inserting 50 campaigns and {leadCount:N0} leads");
            await using (var connection = new NpgsqlConnection(connectionString))
            {
                await connection.OpenAsync(ct);
                await ExecuteAsync(connection, $"""
                    INSERT INTO campaigns (id, code, name, kind, branch_code, status, budget, starts_on, holdout_fraction, created_at, created_by)
                    SELECT gen_random_uuid(), 'BENCH-' || i, 'Bench ' || i, (ARRAY['targeted','community-event','partner'])[1 + i % 3],
                           'SH00' || (1 + i % 3), 'Running', 100000, current_date - i, 0, now(), 'BENCH'
                    FROM generate_series(1, 50) i;
                    INSERT INTO campaign_costs (id, campaign_code, amount, category, incurred_on, recorded_by, recorded_at)
                    SELECT gen_random_uuid(), 'BENCH-' || (1 + i % 50), 1000 + i, 'media', current_date, 'BENCH', now() FROM generate_series(1, 500) i;
                    INSERT INTO prospects (id, full_name, phone, branch_code, campaign_code, channel, stage, created_at, created_by,
                                           contacted_at, interested_at, appointment_at, customer_id, converted_at, activated_at,
                                           deposit_after30days, deposit_after90days, marketing_consent, financial_data_consent)
                    SELECT gen_random_uuid(), '测试', '138' || lpad(i::text, 8, '0'), 'SH00' || (1 + i % 3), 'BENCH-' || (1 + i % 50), 'import',
                           'New', now() - interval '100 days',  'BENCH',
                           CASE WHEN i % 2 = 0 THEN now() - interval '90 days' END, CASE WHEN i % 4 = 0 THEN now() - interval '80 days' END,
                           CASE WHEN i % 8 = 0 THEN now() - interval '70 days' END, CASE WHEN i % 16 = 0 THEN gen_random_uuid() END,
                           CASE WHEN i % 16 = 0 THEN now() - interval '60 days' END, CASE WHEN i % 32 = 0 THEN now() - interval '59 days' END,
                           CASE WHEN i % 32 = 0 THEN 20000 + i % 1000 END, CASE WHEN i % 32 = 0 THEN 30000 + i % 1000 END, i % 3 = 0, false
                    FROM generate_series(1, {leadCount}) i;
                    ANALYZE prospects; ANALYZE campaigns; ANALYZE campaign_costs;
                    """, ct);
            }
            await using var db = DatabaseRegistration.CreateContext<AcquisitionDbContext>(connectionString);
            // One run to warm the caches (as a page the figures serve repeatedly), then three timed.
            campaigns = (await CampaignFigureQueries.ForCampaignsAsync(db, null, null, ct)).Count;
            for (var i = 0; i < 3; i++)
            {
                status.Status($"Figures over {leadCount:N0} leads, run {i + 1}/3");
                var clock = Stopwatch.StartNew();
                var figures = await CampaignFigureQueries.ForCampaignsAsync(db, null, null, ct);
                timings.Add(clock.Elapsed.TotalSeconds);
                if (figures.Sum(f => f.Leads) != leadCount)
                {
                    throw new CliException($"The figures count {figures.Sum(f => f.Leads):N0} leads, not {leadCount:N0}.");
                }
            }
        });
        var median = timings.Order().ElementAt(1);
        context.Note($"{campaigns} campaigns; runs {string.Join(", ", timings.Select(t => t.ToString("0.000", CultureInfo.InvariantCulture)))} s (median reported).");
        context.RawOut.WriteLine(JsonSerializer.Serialize(new { leads = leadCount, seconds = Math.Round(median, 3) }));
        return ExitCodes.Ok;
    }

    /// <summary>Acquisition's database name with _bench: created if missing, migrated, emptied.</summary>
    private static async Task<string> PrepareDatabaseAsync(CliContext context, CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(context.Settings.ConnectionString(ServiceCatalog.Acquisition));
        var name = (builder.Database ?? ServiceCatalog.Acquisition.DatabaseName) + "_bench";
        var server = new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Database = "postgres" };
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync(ct);
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
            exists.Parameters.AddWithValue("name", name);
            if (await exists.ExecuteScalarAsync(ct) is null)
            {
                await ExecuteAsync(connection, $"CREATE DATABASE \"{name}\"", ct);
            }
        }
        builder.Database = name;
        await using (var db = DatabaseRegistration.CreateContext<AcquisitionDbContext>(builder.ConnectionString))
        {
            await db.Database.MigrateAsync(ct);
        }
        await using (var connection = new NpgsqlConnection(builder.ConnectionString))
        {
            await connection.OpenAsync(ct);
            await ExecuteAsync(connection,
                "TRUNCATE prospects, prospect_touches, prospect_consents, existing_customers, customer_values, campaigns, campaign_costs, campaign_audience, conversion_credits, partners, segment_definitions, lead_stage_counts", ct);
        }
        context.Note($"Bench database {name} on {builder.Host}:{builder.Port}, migrated and emptied.");
        return builder.ConnectionString;
    }

    /// <summary>A list with a tenth of its rows repeating an earlier person (same phone, the ID number in lower case).</summary>
    private static async Task WriteListAsync(FileInfo file, int rows, CancellationToken ct)
    {
        var random = new Random(DemoNetwork.RandomSeed);
        await using var writer = new StreamWriter(file.FullName, false, new UTF8Encoding(false), 1 << 16);
        await writer.WriteLineAsync("full_name,phone,id_number,branch_code,campaign_code,channel,district,age_band,consent_at,consent_channel,consent_wording");
        string[] districts = ["浦东新区", "徐汇区", "静安区", "黄浦区"];
        string[] bands = ["20-29", "30-39", "40-49", "50-59", "60+"];
        for (var i = 0; i < rows; i++)
        {
            ct.ThrowIfCancellationRequested();
            var person = i % 10 == 9 ? random.Next(0, i) : i;
            var phone = (13_000_000_000L + person * 7L).ToString(CultureInfo.InvariantCulture);
            // Unique per person: area from the thousands above 336,000, birth date and sequence below.
            var body = string.Create(CultureInfo.InvariantCulture,
                $"{110000 + person / 336_000}{1960 + person % 40}{(person / 1000) % 12 + 1:D2}{(person / 12_000) % 28 + 1:D2}{person % 1000:D3}");
            var id = body + DemoPeople.IdCheckCharacter(body);
            var consent = person % 5 == 0 ? "2026-10-01T09:00:00+08:00,online,本人同意银行向本人推送金融产品营销信息" : ",,";
            await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"客户{person},{phone},{(i == person ? id : id.ToLowerInvariant())},{DemoNetwork.Branches[person % DemoNetwork.Branches.Count].Code},CMP-BENCH-{person % 20},import,{districts[person % 4]},{bands[person % 5]},{consent}"));
        }
    }

    /// <summary>The baseline: the same file read with Sylvan and binary-COPYed, as text, into a plain table.</summary>
    private static async Task<double> CopyBaselineAsync(NpgsqlConnection connection, FileInfo file, CancellationToken ct)
    {
        await ExecuteAsync(connection, "DROP TABLE IF EXISTS bench_copy; CREATE UNLOGGED TABLE bench_copy (" +
            string.Join(", ", Enumerable.Range(0, 11).Select(i => $"c{i} text")) + ")", ct);
        var clock = Stopwatch.StartNew();
        using (var reader = new StreamReader(file.FullName))
        await using (var csv = await CsvDataReader.CreateAsync(reader, new CsvDataReaderOptions { HasHeaders = true, BufferSize = 1 << 16 }, ct))
        await using (var copy = await connection.BeginBinaryImportAsync(
            $"COPY bench_copy ({string.Join(", ", Enumerable.Range(0, 11).Select(i => $"c{i}"))}) FROM STDIN (FORMAT BINARY)", ct))
        {
            while (await csv.ReadAsync(ct))
            {
                await copy.StartRowAsync(ct);
                for (var i = 0; i < 11; i++)
                {
                    await copy.WriteAsync(csv.GetString(i), NpgsqlDbType.Text, ct);
                }
            }
            await copy.CompleteAsync(ct);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        await ExecuteAsync(connection, "DROP TABLE bench_copy", ct);
        return seconds;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 1200 };
        await command.ExecuteNonQueryAsync(ct);
    }
}
