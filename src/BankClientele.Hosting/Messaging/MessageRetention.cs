using BankClientele.Hosting.Database;
using BankClientele.Hosting.Jobs;
using Hangfire;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BankClientele.Hosting.Messaging;

/// <summary><c>Messaging:RetentionDays</c> (7): how long sent outbox rows and inbox rows are kept.</summary>
public sealed class MessageRetentionOptions
{
    public const string Section = "Messaging";

    public int RetentionDays { get; set; } = 7;

    /// <summary>Rows deleted per statement: short transactions, so the relay and the consumers never wait long.</summary>
    public int RetentionBatchSize { get; set; } = 5_000;

    public static MessageRetentionOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<MessageRetentionOptions>() ?? new MessageRetentionOptions();
}

public sealed record MessageRetentionResult(DateTimeOffset Cutoff, long OutboxDeleted, long InboxDeleted);

/// <summary>
/// Deletes outbox rows sent before the cutoff and inbox rows received before it, in bounded batches. An
/// unsent outbox row is never deleted, however old. An inbox row older than the retention no longer stops
/// a redelivery that late: by then the broker's retries (seconds) and an operator's error-queue replay
/// (days) are long over.
/// </summary>
public sealed class MessageRetentionJob<TContext>(TContext db, IConfiguration configuration, TimeProvider time, ILogger<MessageRetentionJob<TContext>> log)
    where TContext : ServiceDbContext
{
    /// <summary>03:40 branch time: after the nightly passes, before the branches open.</summary>
    public const string Cron = "40 3 * * *";

    public static string RecurringJobId(string serviceName) => $"{serviceName.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant()}-message-retention";

    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task<MessageRetentionResult> RunAsync(CancellationToken ct)
    {
        var options = MessageRetentionOptions.From(configuration);
        var days = Math.Max(1, options.RetentionDays);
        var batch = Math.Clamp(options.RetentionBatchSize, 1, 100_000);
        var cutoff = time.GetUtcNow().AddDays(-days);
        // sent_at IS NOT NULL is spelt out: an unsent row (NULL) would not pass "<" anyway, but the rule is the point.
        var outbox = await DeleteInBatchesAsync(
            "DELETE FROM outbox_messages WHERE id IN (SELECT id FROM outbox_messages WHERE sent_at IS NOT NULL AND sent_at < {0} LIMIT {1})", cutoff, batch, ct);
        var inbox = await DeleteInBatchesAsync(
            "DELETE FROM inbox_messages WHERE ctid IN (SELECT ctid FROM inbox_messages WHERE received_at < {0} LIMIT {1})", cutoff, batch, ct);
        log.LogInformation("Message retention: {Outbox} sent outbox rows and {Inbox} inbox rows older than {Cutoff} deleted", outbox, inbox, cutoff);
        return new MessageRetentionResult(cutoff, outbox, inbox);
    }

    private async Task<long> DeleteInBatchesAsync(string sql, DateTimeOffset cutoff, int batch, CancellationToken ct)
    {
        long total = 0;
        while (true)
        {
            // Each statement commits on its own: no long transaction holds locks over the whole table.
            var deleted = await db.Database.ExecuteSqlRawAsync(sql, [cutoff, batch], ct);
            total += deleted;
            if (deleted < batch)
            {
                return total;
            }
        }
    }
}

public static class MessageRetention
{
    /// <summary>Hangfire (once per service) and the retention job over <typeparamref name="TContext"/>'s outbox and inbox.</summary>
    public static IHostApplicationBuilder AddMessageRetention<TContext>(this IHostApplicationBuilder builder)
        where TContext : ServiceDbContext
    {
        builder.AddBackgroundJobs();
        builder.Services.AddScoped<MessageRetentionJob<TContext>>();
        return builder;
    }

    /// <summary>The daily retention job, in branch time, under one id per service (stored once across replicas).</summary>
    public static WebApplication ScheduleMessageRetention<TContext>(this WebApplication app, string serviceName)
        where TContext : ServiceDbContext
    {
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<MessageRetentionJob<TContext>>(
            MessageRetentionJob<TContext>.RecurringJobId(serviceName), job => job.RunAsync(CancellationToken.None),
            MessageRetentionJob<TContext>.Cron, BackgroundJobs.InBranchTime);
        return app;
    }
}
