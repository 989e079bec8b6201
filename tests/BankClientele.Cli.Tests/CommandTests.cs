using BankClientele.Cli.Infrastructure;
using BankClientele.Hosting.Auth;
using Microsoft.IdentityModel.JsonWebTokens;

namespace BankClientele.Cli.Tests;

public sealed class CommandTests
{
    [TestCase]
    [TestCase("migrate")]
    [TestCase("seed")]
    [TestCase("token")]
    [TestCase("wait-ready")]
    public async Task Help_describes_every_command(params string[] command)
    {
        var cli = new TestCli();

        var exit = await cli.RunAsync([.. command, "--help"]);

        Assert.That(exit, Is.EqualTo(ExitCodes.Ok));
        Assert.That(cli.Out, Does.Contain("Description:"));
        Assert.That(cli.Out, Does.Contain("Usage:"));
    }

    [Test]
    public async Task Token_prints_a_jwt_the_services_accept()
    {
        var cli = TestCli.WithSigningKey();

        var exit = await cli.RunAsync("token", "--service", "customer-care", "--role", "BranchLead", "--staff-id", "BL-SH001", "--branch", "SH001", "--name", "王行长");

        Assert.That(exit, Is.EqualTo(ExitCodes.Ok), cli.Error);
        var token = cli.Out.Trim();
        // Verified as a service does: with the public key only, for its own audience.
        var customerCare = new StaffTokenOptions { PublicKey = TestCli.PublicKey, Audience = StaffAudiences.CustomerCare };
        var result = await new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(token, AuthRegistration.StaffTokenValidation(customerCare));
        Assert.That(result.IsValid, Is.True, result.Exception?.Message);
        Assert.That(StaffTokenIssuer.FromPrincipal(new(result.ClaimsIdentity)), Is.EqualTo(new StaffIdentity("BL-SH001", "王行长", StaffRoles.BranchLead, "SH001")));
        var insights = new StaffTokenOptions { PublicKey = TestCli.PublicKey, Audience = StaffAudiences.Insights };
        Assert.That((await new JsonWebTokenHandler().ValidateTokenAsync(token, AuthRegistration.StaffTokenValidation(insights))).IsValid, Is.False,
            "a token for customer-care is refused by insights");
    }

    [Test]
    public async Task Token_without_the_signing_key_fails_in_one_line()
    {
        var cli = new TestCli();

        var exit = await cli.RunAsync("token", "--service", "insights", "--role", "Administrator", "--staff-id", "ADM-001");

        Assert.That(exit, Is.EqualTo(ExitCodes.Failure));
        Assert.That(cli.Out, Is.Empty);
        Assert.That(cli.Error, Does.StartWith("Auth:PrivateKey is not set"));
        Assert.That(cli.Error, Does.Not.Contain("   at "), "no stack trace");
    }

    [TestCase("token", "--service", "insights", "--role", "RelationshipManager", "--staff-id", "RM-SH001-01")]
    [TestCase("token", "--role", "Administrator", "--staff-id", "ADM-001")]
    [TestCase("token", "--service", "billing", "--role", "Administrator", "--staff-id", "ADM-001")]
    [TestCase("token", "--role", "Boss", "--staff-id", "X")]
    [TestCase("token", "--staff-id", "X")]
    [TestCase("migrate", "--output", "sql")]
    [TestCase("migrate", "--service", "billing")]
    [TestCase("wait-ready", "--timeout", "0")]
    [TestCase("seed", "--wait", "-1")]
    public async Task Invalid_arguments_fail_without_running(params string[] args)
    {
        var cli = TestCli.WithSigningKey();

        Assert.That(await cli.RunAsync(args), Is.EqualTo(ExitCodes.Failure));
        Assert.That(cli.Error, Is.Not.Empty);
    }

    [Test]
    public async Task Migrate_script_prints_each_services_idempotent_sql_without_a_database()
    {
        // Port 9: nothing listens there; generating the script needs no connection.
        var settings = ServiceCatalog.All.ToDictionary(
            s => $"ConnectionStrings:{s.ConfigName}",
            string? (s) => $"Host=127.0.0.1;Port=9;Database={s.DatabaseName};Username=x;Password=y");
        var cli = new TestCli(settings);

        var exit = await cli.RunAsync("migrate", "--script", "--service", "customer-care", "--service", "insights");

        Assert.That(exit, Is.EqualTo(ExitCodes.Ok), cli.Error);
        Assert.That(cli.Out, Does.Contain("-- BankClientele customer-care: EF Core migrations, idempotent script"));
        Assert.That(cli.Out, Does.Contain("-- BankClientele insights: EF Core migrations, idempotent script"));
        Assert.That(cli.Out, Does.Not.Contain("-- BankClientele acquisition"));
        Assert.That(cli.Out, Does.Contain("IF NOT EXISTS(SELECT 1 FROM \"__EFMigrationsHistory\""));
        Assert.That(cli.Out, Does.Contain("CREATE TABLE relationship_managers"));
        Assert.That(cli.Out, Does.Contain("CREATE TABLE branch_statistics"));
    }

    [Test]
    public async Task Migrate_reports_an_unreachable_database_per_service()
    {
        var cli = new TestCli(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Insights"] = "Host=127.0.0.1;Port=9;Database=bankclientele_insights;Username=x;Password=y;Timeout=2",
        });

        var exit = await cli.RunAsync("migrate", "--service", "insights");

        Assert.That(exit, Is.EqualTo(ExitCodes.Failure));
        Assert.That(cli.Out, Does.Contain("failed"));
        Assert.That(cli.Error, Does.Contain("insights (bankclientele_insights @ 127.0.0.1:9):"));
        Assert.That(cli.Error, Does.Not.Contain("   at "), "no stack trace");
    }

    /// <summary>The feed's import had been dropped from the import group (it had no subcommands to give).</summary>
    [TestCase("customers")]
    [TestCase("holdings")]
    [TestCase("balances")]
    public void Import_has_a_subcommand_per_core_banking_feed(string feed)
    {
        var file = Path.GetTempFileName();
        try
        {
            var parse = CliApp.Build(new TestCli().Context).Parse(["import", feed, file]);

            Assert.That(parse.Errors.Select(e => e.Message), Is.Empty);
            Assert.That(parse.CommandResult.Command.Name, Is.EqualTo(feed));
            Assert.That(parse.CommandResult.Command.Description, Does.Contain($"/api/feed/{feed}"));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
