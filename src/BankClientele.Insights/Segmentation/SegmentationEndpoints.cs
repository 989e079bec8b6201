using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Insights.Segmentation;

public sealed record CustomerSegmentView(Guid CustomerId, string BranchCode, string Rfm, int RecencyScore, int FrequencyScore, int MonetaryScore,
    int DaysSinceLastTransaction, int RepeatTransactions, decimal Assets, double ProbabilityAlive, double ExpectedTransactions, decimal Clv,
    string ValueSegment, string LifecycleStage, DateOnly AsOf, DateTimeOffset ChangedAt);

public sealed record SegmentCount(string Segment, int Customers, decimal AverageClv, decimal TotalClv);

public sealed record RfmCellCount(int RecencyScore, int FrequencyScore, int Customers);

public sealed record SegmentDistribution(int Customers, DateOnly? AsOf, IReadOnlyList<SegmentCount> ByValueSegment,
    IReadOnlyList<SegmentCount> ByLifecycleStage, IReadOnlyList<RfmCellCount> RecencyByFrequency);

public static class SegmentationEndpoints
{
    private static readonly string[] HeadOffice = [StaffRoles.HeadOffice, StaffRoles.Administrator];

    public static IEndpointRouteBuilder MapSegmentationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/segmentation").WithTags("Segmentation");
        group.MapPost("/run", RunAsync).RequireAuthorization(p => p.RequireRole(HeadOffice));
        group.MapGet("/runs/latest", LatestRunAsync).RequireAuthorization(p => p.RequireRole(HeadOffice));
        group.MapGet("/customers/{customerId:guid}", CustomerAsync);
        group.MapGet("/distribution", DistributionAsync);
        return app;
    }

    /// <summary>Runs the segmentation now and answers with what it did; <c>?background=true</c> queues it on Hangfire instead (202).</summary>
    private static async Task<IResult> RunAsync(bool? background, SegmentationJob job, IBackgroundJobClient jobs, CancellationToken ct)
    {
        if (background == true)
        {
            var id = jobs.Enqueue<SegmentationJob>(j => j.RunNightlyAsync());
            return TypedResults.Accepted((string?)null, new { jobId = id });
        }
        return TypedResults.Ok(await job.RunAsync(ct));
    }

    private static async Task<IResult> LatestRunAsync(InsightsDbContext db, CancellationToken ct)
    {
        var run = await db.Set<SegmentationRun>().AsNoTracking().OrderByDescending(r => r.StartedAt).FirstOrDefaultAsync(ct);
        return run is null ? TypedResults.NotFound() : TypedResults.Ok(run);
    }

    /// <summary>A customer's segment, in the caller's scope (404 outside it).</summary>
    private static async Task<IResult> CustomerAsync(Guid customerId, HttpContext http, InsightsDbContext db, CancellationToken ct)
    {
        var s = await db.Set<CustomerSegment>().AsNoTracking().InBranchesOf(DataScope.Of(http.User))
            .Where(c => c.CustomerId == customerId)
            .Select(c => new CustomerSegmentView(c.CustomerId, c.BranchCode, c.Rfm, c.RecencyScore, c.FrequencyScore, c.MonetaryScore,
                c.DaysSinceLastTransaction, c.RepeatTransactions, c.Assets, c.ProbabilityAlive, c.ExpectedTransactions, c.Clv,
                c.ValueSegment, c.LifecycleStage, c.AsOf, c.ChangedAt))
            .SingleOrDefaultAsync(ct);
        return s is null ? TypedResults.NotFound() : TypedResults.Ok(s);
    }

    /// <summary>How the caller's customers spread over value segments, lifecycle stages and the R×F grid.</summary>
    private static async Task<IResult> DistributionAsync(string? branchCode, HttpContext http, InsightsDbContext db, CancellationToken ct)
    {
        var segments = db.Set<CustomerSegment>().AsNoTracking().InBranchesOf(DataScope.Of(http.User));
        if (!string.IsNullOrWhiteSpace(branchCode))
        {
            segments = segments.Where(s => s.BranchCode == branchCode);
        }
        var byValue = await segments.GroupBy(s => s.ValueSegment)
            .Select(g => new SegmentCount(g.Key, g.Count(), Math.Round(g.Average(s => s.Clv), 2), g.Sum(s => s.Clv))).ToListAsync(ct);
        var byStage = await segments.GroupBy(s => s.LifecycleStage)
            .Select(g => new SegmentCount(g.Key, g.Count(), Math.Round(g.Average(s => s.Clv), 2), g.Sum(s => s.Clv))).ToListAsync(ct);
        var grid = await segments.GroupBy(s => new { s.RecencyScore, s.FrequencyScore })
            .Select(g => new RfmCellCount(g.Key.RecencyScore, g.Key.FrequencyScore, g.Count())).ToListAsync(ct);
        var asOf = await segments.MaxAsync(s => (DateOnly?)s.AsOf, ct);
        var order = ValueSegments.All.ToList();
        string[] stages = [LifecycleStages.Acquire, LifecycleStages.Activate, LifecycleStages.Retain, LifecycleStages.Convert];
        return TypedResults.Ok(new SegmentDistribution(byValue.Sum(v => v.Customers), asOf,
            [.. byValue.OrderBy(v => order.IndexOf(v.Segment))],
            [.. byStage.OrderBy(v => Array.IndexOf(stages, v.Segment))],
            [.. grid.OrderByDescending(c => c.RecencyScore).ThenByDescending(c => c.FrequencyScore)]));
    }
}

public static class SegmentationRegistration
{
    public static WebApplicationBuilder AddSegmentation(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SegmentationOptions>().BindConfiguration(SegmentationOptions.Section);
        builder.Services.AddScoped<SegmentationJob>();
        return builder;
    }

    public static WebApplication MapSegmentation(this WebApplication app)
    {
        app.MapSegmentationEndpoints();
        var cron = app.Configuration[$"{SegmentationOptions.Section}:Cron"] ?? new SegmentationOptions().Cron;
        // Same id from every replica: Hangfire stores it once and runs each firing once.
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<SegmentationJob>(
            SegmentationJob.RecurringJobId, job => job.RunNightlyAsync(), cron,
            BackgroundJobs.InBranchTime);
        return app;
    }
}
