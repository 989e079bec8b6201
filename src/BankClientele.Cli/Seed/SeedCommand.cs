using System.CommandLine;
using BankClientele.Cli.Infrastructure;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Time;

namespace BankClientele.Cli.Seed;

/// <summary><c>seed</c>: pushes the demo branch network through the services' HTTP APIs.</summary>
public static class SeedCommand
{
    public static Command Create(CliContext context)
    {
        var force = new Option<bool>("--force")
        {
            Description = "Push the demo data even when it is already there (prospects, customers and visits are then added again).",
        };
        var skipPortal = new Option<bool>("--skip-portal")
        {
            Description = "Do not save the demo sign-in accounts in the portal (when it does not run).",
        };
        var startupTimeout = Seconds("--startup-timeout", 60, "Seconds to wait at the start for the services to answer /health/ready (they may still be starting).");
        var wait = Seconds("--wait", 60, "Seconds to wait, after pushing, until insights shows the expected counts per branch (they arrive over RabbitMQ).");

        var command = new Command(
            "seed",
            "Push a small demo branch network (3 branches, their relationship managers, prospects, customers, visits and the demo sign-ins) " +
            "through the services' HTTP APIs with an Administrator token. Does nothing when already seeded, unless --force.")
        {
            force,
            skipPortal,
            startupTimeout,
            wait,
        };
        command.SetCliAction(context, async (parse, ct) =>
        {
            var issuer = context.Settings.TokenIssuer();
            var admin = DemoNetwork.Administrator;
            var staff = new StaffIdentity(admin.StaffId, admin.DisplayName, StaffRoles.Administrator, null);
            using var api = SeedApi.Create(context.Settings, service => issuer.Issue(staff, service.Audience));
            var options = new SeedOptions(
                parse.GetValue(force),
                parse.GetValue(skipPortal),
                TimeSpan.FromSeconds(parse.GetValue(startupTimeout)),
                TimeSpan.FromSeconds(parse.GetValue(wait)));
            var plan = DemoNetwork.Plan(BranchClock.System.Today);
            return await new DemoSeeder(context, api, options).RunAsync(plan, ct);
        });
        return command;
    }

    private static Option<int> Seconds(string name, int defaultValue, string description)
    {
        var option = new Option<int>(name) { Description = description, HelpName = "seconds", DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 3600)
            {
                result.AddError($"{name} must be between 1 and 3600 seconds.");
            }
        });
        return option;
    }
}
