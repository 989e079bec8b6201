using System.CommandLine;
using BankClientele.Cli;
using BankClientele.Cli.Infrastructure;
using Microsoft.Extensions.Configuration;
using Spectre.Console;

namespace BankClientele.Cli.Tests;

/// <summary>The CLI run in-process with captured output and in-memory settings.</summary>
public sealed class TestCli
{
    public const string SigningKey = "test-signing-key-0123456789abcdef0123456789";

    private readonly StringWriter stdout = new();
    private readonly StringWriter stderr = new();

    public TestCli(IDictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        Context = new CliContext(new CliSettings(configuration), Console(stdout), Console(stderr), stdout);
    }

    public CliContext Context { get; }

    public string Out => stdout.ToString();

    public string Error => stderr.ToString();

    public static TestCli WithSigningKey() => new(new Dictionary<string, string?> { ["Auth:SigningKey"] = SigningKey });

    public Task<int> RunAsync(params string[] args) =>
        CliApp.Build(Context).Parse(args).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });

    private static IAnsiConsole Console(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 1000;
        return console;
    }
}
