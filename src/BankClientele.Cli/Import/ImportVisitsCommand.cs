using System.CommandLine;
using BankClientele.Cli.Infrastructure;
using Spectre.Console;

namespace BankClientele.Cli.Import;

/// <summary><c>import visits FILE</c>: a queue machine's log, streamed to foot-traffic with a progress bar.</summary>
public static class ImportVisitsCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<FileInfo>("file") { Description = "The queue log, CSV with a header: " + string.Join(",", FootTraffic.Visits.VisitLogImporter.Columns) + "." };
        file.AcceptExistingOnly();
        var command = new Command("visits", "Import a queue log (CSV) into foot-traffic: all rows or none; bad rows are listed by line and field; importing the same log again changes nothing.") { file };
        command.SetCliAction(context, async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            await using var stream = path.OpenRead();
            using var upload = new VisitLogUpload(context.Settings);
            var result = await context.Errors.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new SpinnerColumn())
                .StartAsync(async progress =>
                {
                    var task = progress.AddTask(Markup.Escape(path.Name), maxValue: Math.Max(1, stream.Length));
                    var outcome = await upload.UploadAsync(stream, sent => task.Value = sent, ct);
                    task.Value = task.MaxValue;
                    return outcome;
                });
            context.Console.MarkupLine($"[green]{result.Rows} rows read: {result.Added} visits added, {result.Updated} updated[/] ({Markup.Escape(path.Name)}).");
            return ExitCodes.Ok;
        });
        return command;
    }
}
