using System.Diagnostics;

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
    }

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
