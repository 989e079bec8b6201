using System.Diagnostics;
using System.Globalization;
using BankClientele.Cli.Infrastructure;
using Npgsql;

namespace BankClientele.Cli.Processes;

/// <summary>
/// Where a whole isolated system runs: which PostgreSQL and RabbitMQ, the databases' suffix
/// (bankclientele_&lt;service&gt;_&lt;suffix&gt;), the virtual host, the first HTTP port, the public key staff
/// tokens are verified with and the matching key of personal-data hashes.
/// </summary>
public sealed record SystemPlacement(string PostgresServer, string RabbitHost, int RabbitPort, string VirtualHost, string DatabaseSuffix, int PortBase, string PublicKey, string MatchingKey)
{
    public string Database(string service) => $"bankclientele_{service.ToLowerInvariant()}_{DatabaseSuffix}";

    public string ConnectionString(string service) =>
        new NpgsqlConnectionStringBuilder(PostgresServer) { Database = Database(service) }.ConnectionString;
}

/// <summary>
/// Real service processes (<c>dotnet BankClientele.X.dll</c>) started from built or published
/// service assemblies, so replicas and faults can be tried on processes that can die: shared by
/// <c>bench faults</c> and the tests of replicas. Each instance gets its own port; all instances
/// of a service share its database and the broker, as replicas in production do.
/// </summary>
public sealed class ServiceProcesses(SystemPlacement placement, string servicesRoot, string logFolder) : IAsyncDisposable
{
    public static readonly string[] ServiceNames = ["CustomerCare", "Acquisition", "FootTraffic", "Insights"];

    private readonly List<ServiceProcess> processes = [];

    public SystemPlacement Placement => placement;

    public IReadOnlyList<ServiceProcess> All => processes;

    /// <summary>
    /// The folder of built service assemblies: BANKCLIENTELE_SERVICES_DIR (a run.sh-style publish folder,
    /// &lt;dir&gt;/&lt;Service&gt;/BankClientele.&lt;Service&gt;.dll), else the checkout this CLI was built in.
    /// </summary>
    public static string LocateServices()
    {
        if (Environment.GetEnvironmentVariable("BANKCLIENTELE_SERVICES_DIR") is { Length: > 0 } configured)
        {
            return configured;
        }
        // Published beside this CLI (run.sh's .data/publish/Cli next to .data/publish/FootTraffic, ...).
        var published = Directory.GetParent(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory))!.FullName;
        if (File.Exists(Path.Combine(published, "FootTraffic", "BankClientele.FootTraffic.dll")))
        {
            return published;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BankClientele.sln")))
            {
                return Path.Combine(dir.FullName, "src");
            }
        }
        throw new CliException("Cannot find the service assemblies: set BANKCLIENTELE_SERVICES_DIR to a folder with <Service>/BankClientele.<Service>.dll (./run.sh publishes them to .data/publish).");
    }

    /// <summary>The service's dll: published (&lt;root&gt;/&lt;Service&gt;/) or built in the checkout (src/BankClientele.&lt;Service&gt;/bin/&lt;config&gt;/net10.0/).</summary>
    public string Assembly(string service)
    {
        var candidates = new[]
        {
            Path.Combine(servicesRoot, service, $"BankClientele.{service}.dll"),
            Path.Combine(servicesRoot, $"BankClientele.{service}", "bin", "Release", "net10.0", $"BankClientele.{service}.dll"),
            Path.Combine(servicesRoot, $"BankClientele.{service}", "bin", "Debug", "net10.0", $"BankClientele.{service}.dll"),
        };
        return candidates.Where(File.Exists).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
            ?? throw new CliException($"BankClientele.{service}.dll is not built under {servicesRoot}: run dotnet build (or ./run.sh, which publishes to .data/publish).");
    }

    /// <summary>Fresh databases for the services, migrated by each service's own migrate step (as the deployment's job does).</summary>
    public async Task RecreateAndMigrateAsync(IEnumerable<string> services, CancellationToken ct)
    {
        foreach (var service in services)
        {
            await using (var connection = new NpgsqlConnection(placement.PostgresServer))
            {
                await connection.OpenAsync(ct);
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{placement.Database(service)}\" WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync(ct);
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{placement.Database(service)}\"", connection);
                await create.ExecuteNonQueryAsync(ct);
            }
            var psi = StartInfo(service, ["migrate"]);
            using var migrate = Process.Start(psi) ?? throw new CliException($"Could not start {service}'s migrate step.");
            var output = migrate.StandardOutput.ReadToEndAsync(ct);
            var errors = migrate.StandardError.ReadToEndAsync(ct);
            await migrate.WaitForExitAsync(ct);
            if (migrate.ExitCode != 0)
            {
                throw new CliException($"{service} migrate failed ({migrate.ExitCode}): {await errors}{await output}");
            }
        }
    }

    /// <summary>Starts instance <paramref name="instance"/> (1, 2, ...) of a service on port base + 10·(instance-1) + its offset.</summary>
    public ServiceProcess Start(string service, int instance)
    {
        var port = placement.PortBase + 1 + Array.IndexOf(ServiceNames, service) + 10 * (instance - 1);
        var process = new ServiceProcess(this, service, instance, port, Path.Combine(logFolder, $"{service}-{instance}.log"));
        process.Start();
        processes.Add(process);
        return process;
    }

    internal ProcessStartInfo StartInfo(string service, IEnumerable<string> arguments)
    {
        var dll = Assembly(service);
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }
        psi.Environment["ConnectionStrings__Database"] = placement.ConnectionString(service);
        psi.Environment["RabbitMq__Host"] = placement.RabbitHost;
        psi.Environment["RabbitMq__Port"] = placement.RabbitPort.ToString(CultureInfo.InvariantCulture);
        psi.Environment["RabbitMq__VirtualHost"] = placement.VirtualHost;
        psi.Environment["Auth__PublicKey"] = placement.PublicKey;
        psi.Environment["Privacy__MatchingKey"] = placement.MatchingKey;
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        // Faults are the point here: retry quickly, and long enough to outlast a broker or database restart.
        psi.Environment["RabbitMq__RetryLimit"] = "10";
        psi.Environment["RabbitMq__RetryMinInterval"] = "00:00:00.200";
        psi.Environment["RabbitMq__RetryMaxInterval"] = "00:00:05";
        return psi;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in processes)
        {
            await process.StopAsync();
        }
    }
}

/// <summary>One running instance of a service: its address, and the ways it can end (gracefully, or killed).</summary>
public sealed class ServiceProcess(ServiceProcesses owner, string service, int instance, int port, string logFile)
{
    private Process? process;
    private StreamWriter? log;

    public string Service => service;

    public int Instance => instance;

    public Uri Address { get; } = new($"http://127.0.0.1:{port}");

    public int? ProcessId => process is { HasExited: false } p ? p.Id : null;

    public void Start()
    {
        var psi = owner.StartInfo(service, ["--urls", Address.ToString().TrimEnd('/')]);
        Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
        log ??= new StreamWriter(logFile, append: true) { AutoFlush = true };
        process = Process.Start(psi) ?? throw new CliException($"Could not start {service} #{instance}.");
        var writer = log;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (writer) { writer.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (writer) { writer.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Waits until /health/ready answers 200 (database and broker reachable, queues bound).</summary>
    public async Task WaitReadyAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (process is { HasExited: true } p)
            {
                throw new CliException($"{service} #{instance} exited ({p.ExitCode}) while starting; see {logFile}.");
            }
            try
            {
                using var response = await http.GetAsync("/health/ready", ct);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                // not listening yet
            }
            if (clock.Elapsed > timeout)
            {
                throw new CliException($"{service} #{instance} was not ready at {Address} within {timeout.TotalSeconds:0} s; see {logFile}.");
            }
            await Task.Delay(200, ct);
        }
    }

    /// <summary>SIGKILL: the process ends at once, mid-batch or mid-message, as a crash would end it.</summary>
    public async Task KillAsync()
    {
        if (process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: false);
            await p.WaitForExitAsync();
        }
    }

    /// <summary>SIGTERM, then a bounded wait, then SIGKILL.</summary>
    public async Task StopAsync()
    {
        if (process is { HasExited: false } p)
        {
            using (var term = Process.Start("kill", ["-TERM", p.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await p.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                p.Kill();
                await p.WaitForExitAsync();
            }
        }
        process?.Dispose();
        process = null;
    }
}
