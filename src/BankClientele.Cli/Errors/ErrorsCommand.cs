using System.CommandLine;
using BankClientele.Cli.Infrastructure;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Messaging;
using Spectre.Console;

namespace BankClientele.Cli.Errors;

/// <summary>
/// <c>errors list|retry</c>: the consumers' <c>_error</c> queues, through each service's
/// <c>/api/bus</c> endpoints (a service moves only its own queues' messages and audits each move).
/// </summary>
public static class ErrorsCommand
{
    private static readonly ServiceInfo[] Services = [ServiceCatalog.CustomerCare, ServiceCatalog.Acquisition, ServiceCatalog.FootTraffic, ServiceCatalog.Insights];

    public static Command Create(CliContext context)
    {
        var group = new Command("errors", "Messages that failed every retry and wait in the consumers' _error queues: list them, move them back for another try (audited).");
        group.Add(List(context));
        group.Add(Retry(context));
        return group;
    }

    private static Option<string?> QueueOption(string description) => new("--queue") { Description = description, HelpName = "queue" };

    private static Option<string> StaffIdOption() => new("--staff-id")
    {
        Description = "Who is asking, as the services' audit records it (default: cli-<user>).",
        HelpName = "id",
        DefaultValueFactory = _ => $"cli-{Environment.UserName}",
    };

    private static Command List(CliContext context)
    {
        var queue = QueueOption("Only this queue (e.g. insights-visit-count).");
        var all = new Option<bool>("--all") { Description = "Every queue, also those with an empty _error queue." };
        var staffId = StaffIdOption();
        var command = new Command("list", "Each consumer queue with messages in its _error queue: depth, consumers, errors.") { queue, all, staffId };
        command.SetCliAction(context, async (parse, ct) =>
        {
            var (queues, unreachable) = await QueuesAsync(context, parse.GetValue(staffId)!, ct);
            var shown = queues
                .Where(q => parse.GetValue(queue) is not { } name || q.Status.Queue == name)
                .Where(q => parse.GetValue(all) || parse.GetValue(queue) is not null || q.Status.ErrorMessages > 0)
                .ToList();
            if (parse.GetValue(queue) is { } wanted && shown.Count == 0 && unreachable == 0)
            {
                throw new CliException($"No service consumes a queue '{wanted}'. Run `bankclientele errors list --all` to see the queues.");
            }
            var table = new Table().AddColumns("service", "queue", "messages", "consumers", "errors");
            foreach (var (service, status) in shown)
            {
                table.AddRow(service.Key, status.Queue, $"{status.Messages:N0}", $"{status.Consumers:N0}",
                    status.ErrorMessages > 0 ? $"[red]{status.ErrorMessages:N0}[/]" : "0");
            }
            context.Console.Write(table);
            context.Console.MarkupLine($"{queues.Sum(q => q.Status.ErrorMessages):N0} message(s) in _error queues.");
            return unreachable == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    private static Command Retry(CliContext context)
    {
        var queue = QueueOption("The queue whose _error messages go back (e.g. insights-visit-count).");
        var all = new Option<bool>("--all") { Description = "Every queue of every service." };
        var staffId = StaffIdOption();
        var command = new Command("retry", "Move the messages of a queue's _error queue (or of all of them with --all) back to the queue for another try; each service audits the move.")
        {
            queue, all, staffId,
        };
        command.Validators.Add(result =>
        {
            var named = result.GetResult(queue)?.Tokens.Count > 0;
            var every = result.GetResult(all) is { Implicit: false } flag && (flag.Tokens.Count == 0 || flag.GetValueOrDefault<bool>());
            if (named == every)
            {
                result.AddError("Give either --queue QUEUE or --all.");
            }
        });
        command.SetCliAction(context, async (parse, ct) =>
        {
            var who = parse.GetValue(staffId)!;
            var results = new List<(ServiceInfo Service, ErrorRetryResult Result)>();
            if (parse.GetValue(queue) is { } name)
            {
                var (queues, _) = await QueuesAsync(context, who, ct);
                var owner = queues.FirstOrDefault(q => q.Status.Queue == name).Service
                    ?? throw new CliException($"No reachable service consumes a queue '{name}'. Run `bankclientele errors list --all` to see the queues.");
                using var client = Client(context, owner, who);
                results.AddRange((await client.SendAsync<List<ErrorRetryResult>>(HttpMethod.Post, "/api/bus/errors/retry", new RetryErrors(name, false), ct))
                    .Select(r => (owner, r)));
            }
            else
            {
                foreach (var service in Services)
                {
                    using var client = Client(context, service, who);
                    results.AddRange((await client.SendAsync<List<ErrorRetryResult>>(HttpMethod.Post, "/api/bus/errors/retry", new RetryErrors(null, true), ct))
                        .Select(r => (service, r)));
                }
            }
            foreach (var (service, result) in results.Where(r => r.Result.Moved > 0 || parse.GetValue(queue) is not null))
            {
                context.Console.MarkupLine($"{Markup.Escape(service.Key)}  {Markup.Escape(result.Queue)}: {result.Moved:N0} moved back");
            }
            context.Console.MarkupLine($"{results.Sum(r => r.Result.Moved):N0} message(s) moved back for another try (audited as {Markup.Escape(who)}).");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static ServiceClient Client(CliContext context, ServiceInfo service, string staffId)
    {
        var token = context.Settings.TokenIssuer().Issue(new StaffIdentity(staffId, staffId, StaffRoles.Administrator, null), service.Audience);
        return new ServiceClient(service, context.Settings.BaseAddress(service), token);
    }

    /// <summary>Every service's queues; a service that does not answer is reported and counted, the others still listed.</summary>
    private static async Task<(List<(ServiceInfo Service, QueueStatus Status)> Queues, int Unreachable)> QueuesAsync(CliContext context, string staffId, CancellationToken ct)
    {
        var queues = new List<(ServiceInfo, QueueStatus)>();
        var unreachable = 0;
        foreach (var service in Services)
        {
            using var client = Client(context, service, staffId);
            try
            {
                queues.AddRange((await client.GetAsync<List<QueueStatus>>("/api/bus/queues", ct)).Select(q => (service, q)));
            }
            catch (CliException e)
            {
                context.Fail(e.Message);
                unreachable++;
            }
        }
        return (queues, unreachable);
    }
}
