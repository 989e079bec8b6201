using BankClientele.Hosting.Auth;

namespace BankClientele.Insights.BranchStats;

/// <summary>Running counts per branch, built from the other services' events alone.</summary>
public sealed class BranchStatistics : IBranchOwned
{
    public required string BranchCode { get; init; }
    public int Customers { get; set; }
    public int Assignments { get; set; }
    public int Visits { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>The counts as they stood at the end of a day, written by the nightly snapshot job.</summary>
public sealed class BranchDailySnapshot : IBranchOwned
{
    public DateOnly Day { get; init; }
    public required string BranchCode { get; init; }
    public int Customers { get; set; }
    public int Assignments { get; set; }
    public int Visits { get; set; }
    public Guid RunId { get; set; }
}

/// <summary>One execution of the snapshot job, so operators (and tests) see each firing.</summary>
public sealed class SnapshotRun
{
    public Guid Id { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset FinishedAt { get; set; }
    public int Branches { get; set; }
}
