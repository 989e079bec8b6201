using Spectre.Console;

namespace BankClientele.Cli.Infrastructure;

/// <summary>
/// What every command is given: settings, the console for results (stdout), the console for
/// progress and errors (stderr), and the raw stdout writer for machine-readable output (a token,
/// an SQL script) that must not pass through Spectre's markup or line wrapping.
/// </summary>
public sealed class CliContext(CliSettings settings, IAnsiConsole console, IAnsiConsole errors, TextWriter rawOut)
{
    public CliSettings Settings { get; } = settings;

    /// <summary>Results: tables and summaries.</summary>
    public IAnsiConsole Console { get; } = console;

    /// <summary>Progress and errors; red error lines go here.</summary>
    public IAnsiConsole Errors { get; } = errors;

    public TextWriter RawOut { get; } = rawOut;

    public static CliContext CreateDefault()
    {
        var console = AnsiConsole.Console;
        var errors = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Error) });
        // Redirected into a log (run.sh), a message stays on one line instead of wrapping at 80 columns.
        if (System.Console.IsOutputRedirected)
        {
            console.Profile.Width = RedirectedWidth;
        }
        if (System.Console.IsErrorRedirected)
        {
            errors.Profile.Width = RedirectedWidth;
        }
        return new CliContext(CliSettings.Load(), console, errors, System.Console.Out);
    }

    private const int RedirectedWidth = 1000;

    public void Fail(string message) => Errors.MarkupLine($"[red]{Markup.Escape(message)}[/]");

    public void Warn(string message) => Errors.MarkupLine($"[yellow]{Markup.Escape(message)}[/]");

    public void Note(string message) => Errors.MarkupLine($"[grey]{Markup.Escape(message)}[/]");
}
