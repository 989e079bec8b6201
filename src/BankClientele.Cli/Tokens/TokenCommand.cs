using System.CommandLine;
using BankClientele.Cli.Infrastructure;
using BankClientele.Hosting.Auth;

namespace BankClientele.Cli.Tokens;

/// <summary><c>token</c>: prints a staff JWT signed like the portal's, for curl or the Hangfire dashboards.</summary>
public static class TokenCommand
{
    public static Command Create(CliContext context)
    {
        var role = new Option<string>("--role")
        {
            Description = "The staff role the token carries.",
            HelpName = string.Join("|", StaffRoles.All),
            Required = true,
        };
        role.AcceptOnlyFromAmong([.. StaffRoles.All]);
        var staffId = new Option<string>("--staff-id")
        {
            Description = "The staff id (subject and staff_id claim), e.g. RM-SH001-01.",
            HelpName = "id",
            Required = true,
        };
        var branch = new Option<string?>("--branch")
        {
            Description = "The staff member's branch code, e.g. SH001 (required for RelationshipManager and BranchLead).",
            HelpName = "code",
        };
        var name = new Option<string?>("--name")
        {
            Description = "Display name claim (default: the staff id).",
            HelpName = "name",
        };
        var minutes = new Option<int?>("--minutes")
        {
            Description = "Lifetime in minutes (default: Auth:Lifetime, 30 minutes).",
            HelpName = "minutes",
        };
        minutes.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1 or > 24 * 60)
            {
                result.AddError("--minutes must be between 1 and 1440.");
            }
        });

        var service = new Option<string>("--service")
        {
            Description = "The service the token is for: its audience (a token for one service is refused by the others).",
            HelpName = string.Join("|", ServiceCatalog.All.Select(s => s.Key)),
            Required = true,
        };
        service.AcceptOnlyFromAmong([.. ServiceCatalog.All.Select(s => s.Key)]);

        var command = new Command("token", "Print a staff JWT for one service, signed with the portal's private key Auth:PrivateKey (env Auth__PrivateKey), e.g. for curl -H \"Authorization: Bearer $TOKEN\".")
        {
            service,
            role,
            staffId,
            branch,
            name,
            minutes,
        };
        command.Validators.Add(result =>
        {
            // Raw tokens: GetValue would throw on a role that --role's own validation rejects.
            var roleValue = result.GetResult(role)?.Tokens.FirstOrDefault()?.Value;
            var branchValue = result.GetResult(branch)?.Tokens.FirstOrDefault()?.Value;
            if (roleValue is StaffRoles.RelationshipManager or StaffRoles.BranchLead && string.IsNullOrWhiteSpace(branchValue))
            {
                result.AddError($"--branch is required for the role {roleValue}.");
            }
            if (result.GetResult(staffId)?.Tokens.FirstOrDefault()?.Value is { } id && string.IsNullOrWhiteSpace(id))
            {
                result.AddError("--staff-id must not be empty.");
            }
        });
        command.SetCliAction(context, (parse, _) =>
        {
            var options = context.Settings.StaffTokenOptions();
            if (parse.GetValue(minutes) is { } lifetime)
            {
                options.Lifetime = TimeSpan.FromMinutes(lifetime);
            }
            var id = parse.GetRequiredValue(staffId).Trim();
            var staff = new StaffIdentity(
                id,
                string.IsNullOrWhiteSpace(parse.GetValue(name)) ? id : parse.GetValue(name)!.Trim(),
                parse.GetRequiredValue(role),
                string.IsNullOrWhiteSpace(parse.GetValue(branch)) ? null : parse.GetValue(branch)!.Trim());
            // The token alone on stdout, so TOKEN=$(bankclientele token ...) works.
            var audience = ServiceCatalog.Select([parse.GetRequiredValue(service)]).Single().Audience;
            context.RawOut.WriteLine(new StaffTokenIssuer(options).Issue(staff, audience));
            context.Note($"{staff.Role} {staff.StaffId}{(staff.BranchCode is null ? "" : " @ " + staff.BranchCode)}, valid {options.Lifetime.TotalMinutes:0} min, issuer {options.Issuer}, audience {audience}.");
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }
}
