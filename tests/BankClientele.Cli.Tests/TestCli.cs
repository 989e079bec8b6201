using System.CommandLine;
using System.Security.Cryptography;
using BankClientele.Cli;
using BankClientele.Cli.Infrastructure;
using Microsoft.Extensions.Configuration;
using Spectre.Console;

namespace BankClientele.Cli.Tests;

/// <summary>The CLI run in-process with captured output and in-memory settings.</summary>
public sealed class TestCli
{
    private static readonly ECDsa KeyPair = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>The portal's private key as the CLI gets it (Auth:PrivateKey), fresh per run.</summary>
    public static readonly string SigningKey = KeyPair.ExportPkcs8PrivateKeyPem();

    /// <summary>What the services verify with (Auth:PublicKey).</summary>
    public static readonly string PublicKey = KeyPair.ExportSubjectPublicKeyInfoPem();

    /// <summary>Privacy:MatchingKey for the benches that hash phone numbers, fresh per run.</summary>
    public static readonly string MatchingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

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

    public static TestCli WithSigningKey() => new(new Dictionary<string, string?> { ["Auth:PrivateKey"] = SigningKey });

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
