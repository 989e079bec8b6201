using BankClientele.Hosting.Auth;

namespace BankClientele.Acquisition.Prospects;

/// <summary>The lead stages of the funnel, in order: a lead only moves forward.</summary>
public enum LeadStage
{
    New,
    Contacted,
    Interested,
    Appointment,
    AccountOpened,
    FirstDeposit,
}

/// <summary>
/// Someone with no account yet (增量客群) that a branch or campaign is working on. One person is one
/// prospect however often they arrive: phone and ID number are matched through their keyed hashes.
/// </summary>
public sealed class Prospect : IBranchOwned
{
    public Guid Id { get; init; }
    public required string FullName { get; set; }
    public required string Phone { get; set; }
    public string? IdNumber { get; set; }
    public string? PhoneHash { get; set; }
    public string? IdNumberHash { get; set; }
    public required string BranchCode { get; set; }

    /// <summary>The campaign the lead is attributed to (its last campaign touch).</summary>
    public string? CampaignCode { get; set; }

    /// <summary>The channel the person first arrived by: staff, import, lobby, community-event, partner.</summary>
    public string Channel { get; set; } = "staff";
    public string? ReferralCode { get; set; }

    // Segmentation dimensions (geographic, demographic, psychographic).
    public string? City { get; set; }
    public string? District { get; set; }
    public string? Community { get; set; }
    public string? AgeBand { get; set; }
    public string? Occupation { get; set; }
    public string? IncomeBand { get; set; }
    public string? Tags { get; set; }

    public LeadStage Stage { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public string CreatedBy { get; init; } = "";
    public DateTimeOffset? ContactedAt { get; set; }
    public DateTimeOffset? InterestedAt { get; set; }
    public DateTimeOffset? AppointmentAt { get; set; }
    public string? NextAction { get; set; }
    public DateOnly? NextActionOn { get; set; }

    // Current consent (the history is in ProspectConsent); withdrawal clears it at once.
    public bool MarketingConsent { get; set; }
    public bool FinancialDataConsent { get; set; }

    // Set on conversion (an account opened).
    public Guid? CustomerId { get; set; }
    public string? CustomerNumber { get; set; }
    public string? AccountNumber { get; set; }
    public decimal? InitialDeposit { get; set; }
    public DateTimeOffset? ConvertedAt { get; set; }
    public string? CreditedBranchCode { get; set; }
    public string? CreditedStaffId { get; set; }
    public decimal? AcquisitionCost { get; set; }

    // Learned from the daily balances of the converted customer.
    public DateTimeOffset? ActivatedAt { get; set; }
    public decimal? DepositAfter30Days { get; set; }
    public decimal? DepositAfter90Days { get; set; }

    public bool IsConverted => CustomerId is not null;
}

/// <summary>One contact of the prospect with the bank (a touch) or a logged contact attempt.</summary>
public sealed class ProspectTouch
{
    public Guid Id { get; init; }
    public Guid ProspectId { get; set; }
    public required string Channel { get; init; }
    public string? CampaignCode { get; init; }
    public required string BranchCode { get; init; }
    public string? StaffId { get; init; }
    public DateTimeOffset At { get; init; }

    /// <summary>For a contact attempt: reached, no-answer, interested, appointment, declined.</summary>
    public string? Outcome { get; init; }
    public string? Note { get; init; }
}

/// <summary>One consent given or withdrawn, as PIPL asks: when, through which channel, in which words.</summary>
public sealed class ProspectConsent
{
    public Guid Id { get; init; }
    public Guid ProspectId { get; set; }

    /// <summary><see cref="ConsentKinds.Marketing"/> or <see cref="ConsentKinds.FinancialData"/>.</summary>
    public required string Kind { get; init; }
    public bool Given { get; init; }
    public required string Channel { get; init; }
    public required string Wording { get; init; }
    public DateTimeOffset At { get; init; }
    public string? RecordedBy { get; init; }
}

public static class ConsentKinds
{
    public const string Marketing = "marketing";
    public const string FinancialData = "financial-data";
    public static readonly IReadOnlyList<string> All = [Marketing, FinancialData];
}

/// <summary>A phone (hashed) that must never be contacted for marketing.</summary>
public sealed class DoNotContactEntry
{
    public required string PhoneHash { get; init; }
    public DateTimeOffset AddedAt { get; init; }
    public string? AddedBy { get; init; }
}
