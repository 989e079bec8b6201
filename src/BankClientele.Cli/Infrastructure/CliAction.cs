using System.CommandLine;

namespace BankClientele.Cli.Infrastructure;

public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
}

/// <summary>Sets a command's action so that failures end in a red message and exit code 1.</summary>
public static class CliAction
{
    public static void SetCliAction(this Command command, CliContext context, Func<ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parseResult, ct) =>
        {
            try
            {
                return await action(parseResult, ct);
            }
            catch (CliException e)
            {
                context.Fail(e.Message);
                return ExitCodes.Failure;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                context.Fail("Cancelled.");
                return ExitCodes.Failure;
            }
#pragma warning disable CA1031 // The last resort of a command line: report anything else, then fail.
            catch (Exception e)
#pragma warning restore CA1031
            {
                context.Fail($"Unexpected error in '{command.Name}': {e.GetType().Name}: {e.Message}");
                context.Note(e.ToString());
                return ExitCodes.Failure;
            }
        });

    /// <summary>An exception's message with those of its inner exceptions ("a: b: c"), without repeats.</summary>
    public static string Messages(this Exception exception)
    {
        var parts = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            var message = e.Message.Trim();
            if (message.Length > 0 && !parts.Any(p => p.Contains(message, StringComparison.Ordinal)))
            {
                parts.Add(message);
            }
        }
        return string.Join(" → ", parts);
    }
}
