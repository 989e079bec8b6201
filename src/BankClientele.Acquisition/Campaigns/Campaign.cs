using BankClientele.Hosting.Auth;

namespace BankClientele.Acquisition.Campaigns;

public static class CampaignKinds
{
    public const string Targeted = "targeted";
    public const string CommunityEvent = "community-event";
    public const string Partner = "partner";
    public static readonly IReadOnlyList<string> All = [Targeted, CommunityEvent, Partner];
}

/// <summary>Draft (submitted for approval) → Approved (by a branch lead) → Running → Closed.</summary>
public enum CampaignStatus
{
    Draft,
    Approved,
    Running,
    Closed,
}

/// <summary>A campaign of one of the three kinds, with its budget, schedule, staff and lifecycle.</summary>
public sealed class Campaign : IBranchOwned
{
    public Guid Id { get; init; }
    public required string Code { get; init; }
    public required string Name { get; set; }
    public required string Kind { get; init; }
    public required string BranchCode { get; init; }
    public CampaignStatus Status { get; set; }
    public decimal Budget { get; set; }
    public DateOnly StartsOn { get; set; }
    public DateOnly? EndsOn { get; set; }
    public string? Staff { get; set; }

    // Targeted outreach.
    public string? Segment { get; set; }
    public string? Channel { get; set; }
    public string? Script { get; set; }
    public double HoldoutFraction { get; set; }

    // Community event.
    public string? Place { get; set; }
    public int? Capacity { get; set; }
    public int? ExpectedAttendance { get; set; }
    public int? ActualAttendance { get; set; }

    // Partner co-marketing.
    public string? PartnerCode { get; set; }
    public string? CostTerms { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
    public string CreatedBy { get; init; } = "";
    public string? SubmittedBy { get; set; }
    public DateTimeOffset? SubmittedAt { get; set; }
    public string? ApprovedBy { get; set; }
    public DateTimeOffset? ApprovedAt { get; set; }
    public DateTimeOffset? LaunchedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
}

/// <summary>A cost booked against a campaign (yuan).</summary>
public sealed class CampaignCost
{
    public Guid Id { get; init; }
    public required string CampaignCode { get; init; }
    public decimal Amount { get; init; }
    public required string Category { get; init; }

    /// <summary>The acquisition channel the money went to (a lead channel: staff, import, lobby, community-event, partner, online).</summary>
    public string Channel { get; init; } = "staff";
    public DateOnly IncurredOn { get; init; }
    public string RecordedBy { get; init; } = "";
    public DateTimeOffset RecordedAt { get; init; }
}

/// <summary>An existing customer in a targeted campaign's audience, treated or held out.</summary>
public sealed class CampaignAudienceMember
{
    public required string CampaignCode { get; init; }
    public Guid CustomerId { get; init; }
    public required string BranchCode { get; init; }
    public bool IsControl { get; init; }
}
