using System.Diagnostics;
using System.Text.RegularExpressions;

namespace BankClientele.Hosting.Tests.Deployment;

public sealed class KubernetesManifestTests
{
    [Test]
    public async Task Every_overlay_renders_and_validates_against_the_Kubernetes_schemas()
    {
        var script = Path.Combine(RepositoryRoot(), "deploy", "k8s", "validate.sh");
        using var process = Process.Start(new ProcessStartInfo(script) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5)); // the first run installs kubernetes-models
        await process.WaitForExitAsync(timeout.Token);

        Assert.That(process.ExitCode, Is.Zero, await errors);
        Assert.That(await output, Does.Contain("ok onprem:").And.Contain("ok production:"));

        // No secret value in what the overlays render: the operator creates the Secrets (docs/security.md).
        var rendered = Directory.GetFiles(Path.Combine(RepositoryRoot(), "deploy", "k8s", ".validate"), "*.yaml");
        Assert.That(rendered.Select(Path.GetFileNameWithoutExtension), Is.SupersetOf(new[] { "onprem", "production" }));
        foreach (var file in rendered)
        {
            var text = await File.ReadAllTextAsync(file);
            Assert.That(SecretLookingLiterals(text), Is.Empty, Path.GetFileName(file));
            var referenced = Regex.Matches(text, @"secretKeyRef:\s*\n\s*key: (\S+)\s*\n\s*name: (\S+)").Select(m => m.Groups[2].Value).ToHashSet();
            Assert.That(referenced, Is.SubsetOf(OperatorSecrets), $"{Path.GetFileName(file)} references only the Secrets docs/security.md tells the operator to create");
            Assert.That(referenced, Does.Contain("bankclientele-staff-token-private").And.Contain("bankclientele-matching-key"));
        }
    }

    /// <summary>The Secrets an operator creates (docs/security.md), and the RabbitMQ operator's own.</summary>
    private static readonly string[] OperatorSecrets =
    [
        "bankclientele-database", "bankclientele-staff-token-public", "bankclientele-staff-token-private",
        "bankclientele-matching-key", "bankclientele-rabbitmq-default-user",
    ];

    [TestCase("password=CHANGE-ME")]
    [TestCase("value: Host=db;Username=app;Password=hunter2")]
    [TestCase("-----BEGIN EC PRIVATE KEY-----")]
    [TestCase("signing-key: c2VjcmV0LXNpZ25pbmcta2V5LXRoYXQtaXMtbG9uZy1lbm91Z2gtdG8tbG9vay1yZWFs")]
    [TestCase("kind: Secret")]
    public void The_scan_finds_a_secret_looking_literal(string line) =>
        Assert.That(SecretLookingLiterals("apiVersion: v1\n" + line + "\n"), Is.Not.Empty);

    [Test]
    public void The_scan_passes_references_images_and_labels() =>
        Assert.That(SecretLookingLiterals("""
            image: registry.bank.internal/bankclientele/customer-care:1.0.0
            valueFrom: {secretKeyRef: {name: bankclientele-database, key: customercare-connection}}
            app.kubernetes.io/name: customer-care
            """), Is.Empty);

    /// <summary>Lines that look like a secret's value: placeholders, passwords, PEM keys, long base64, a Secret object.</summary>
    public static List<string> SecretLookingLiterals(string yaml) => yaml.Split('\n')
        .Where(line => Regex.IsMatch(line, @"CHANGE-?ME|password\s*=|BEGIN [A-Z ]*PRIVATE KEY|[A-Za-z0-9+/]{40,}={0,2}|^kind: Secret\s*$", RegexOptions.IgnoreCase))
        .ToList();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BankClientele.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("BankClientele.sln not found above the test directory.");
    }
}
