using System.CommandLine;
using BankClientele.Cli.Infrastructure;
using BankClientele.CustomerCare.Feed;
using Spectre.Console;

namespace BankClientele.Cli.Import;

/// <summary><c>import customers|holdings|balances FILE</c>: a core-banking feed file into customer-care.</summary>
public static class ImportCommand
{
    /// <summary>
    /// One subcommand per feed (<c>import customers FILE</c>, ...), gathered by the CLI's import group
    /// beside the other services' imports.
    /// </summary>
    public static Command Create(CliContext context)
    {
        var import = new Command("import");
        foreach (var feed in FeedUploader.Feeds)
        {
            import.Add(FeedCommand(context, feed));
        }
        return import;
    }

    private static Command FeedCommand(CliContext context, string feed)
    {
        var file = new Argument<FileInfo>("file") { Description = "The CSV file, with a header line (docs/customer-care.md lists the columns)." };
        file.AcceptExistingOnly();
        var command = new Command(feed,
            $"Stream a core-banking {feed} CSV file to customer-care (POST /api/feed/{feed}) with an Administrator token " +
            "(import customers first). The file is applied whole or not at all: bad rows are listed by line and field.")
        {
            file,
        };
        command.SetCliAction(context, async (parse, ct) =>
        {
            using var uploader = FeedUploader.Create(context.Settings);
            var result = await UploadWithProgressAsync(context, uploader, feed, parse.GetValue(file)!, ct);
            Print(context, result);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Uploads with a progress bar (bytes sent), then waits for the service's merge.</summary>
    public static async Task<FeedImportResult> UploadWithProgressAsync(CliContext context, FeedUploader uploader, string feed, FileInfo file, CancellationToken ct)
    {
        await using var stream = file.OpenRead();
        var length = Math.Max(1, file.Length);
        return await context.Errors.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(Markup.Escape($"{feed} ← {file.Name}"), maxValue: length);
                var result = await uploader.UploadAsync(feed, stream, new Progress<long>(sent =>
                {
                    task.Value = sent;
                    if (sent >= length)
                    {
                        task.Description = Markup.Escape($"{feed} ← {file.Name}: sent, merging");
                    }
                }), ct);
                task.Value = length;
                task.Description = Markup.Escape($"{feed} ← {file.Name}: done");
                return result;
            });
    }

    public static void Print(CliContext context, FeedImportResult result)
    {
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"Imported {result.Feed}"))
            .AddColumn(new TableColumn("Rows").RightAligned()).AddColumn(new TableColumn("Inserted").RightAligned())
            .AddColumn(new TableColumn("Updated").RightAligned()).AddColumn(new TableColumn("Unchanged").RightAligned())
            .AddColumn(new TableColumn("Events").RightAligned()).AddColumn(new TableColumn("Seconds").RightAligned());
        table.AddRow(
            result.Rows.ToString("N0"), result.Inserted.ToString("N0"), result.Updated.ToString("N0"),
            result.Unchanged.ToString("N0"), result.Events.ToString("N0"), result.Seconds.ToString("0.0"));
        context.Console.Write(table);
    }
}
