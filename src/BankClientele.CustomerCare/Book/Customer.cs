using BankClientele.Hosting.Auth;

namespace BankClientele.CustomerCare.Book;

/// <summary>
/// A customer in the book (存量客群), keyed by the core-banking customer number: the feed and a
/// conversion in Acquisition reach the same record (<see cref="Id"/> is derived from the number).
/// </summary>
public sealed class Customer : IRelationshipManagerOwned
{
    public Guid Id { get; init; }

    /// <summary>The core-banking customer number; null only for conversions recorded before it was carried.</summary>
    public string? CustomerNumber { get; set; }

    public required string FullName { get; set; }
    public required string Phone { get; set; }
    public required string BranchCode { get; set; }

    /// <summary>The first account known (from a conversion, or the first holding of the feed).</summary>
    public required string AccountNumber { get; set; }
    public decimal InitialDeposit { get; set; }
    public Guid? SourceProspectId { get; set; }
    public string? RelationshipManagerId { get; set; }

    /// <summary>
    /// One more at every change of <see cref="RelationshipManagerId"/> (assigned, moved or back to the pool), in the
    /// same transaction; the manager events carry it so consumers ignore a late, older one.
    /// </summary>
    public long AssignmentVersion { get; set; }
    public DateTimeOffset JoinedAt { get; set; }

    // From the core-banking feed.
    public string? Gender { get; set; }
    public DateOnly? BirthDate { get; set; }
    public string? IdType { get; set; }
    public string? IdNumber { get; set; }

    /// <summary>Keyed hashes (PersonalDataHash) of the phone and ID number, sent in events for matching.</summary>
    public string? PhoneHash { get; set; }
    public string? IdNumberHash { get; set; }
    public string? City { get; set; }
    public string? District { get; set; }
    public string? Occupation { get; set; }

    /// <summary>Risk-assessment level 1 to 5 (C1 to C5), and when it was assessed (valid one year).</summary>
    public int? RiskLevel { get; set; }
    public DateOnly? RiskAssessedOn { get; set; }
    public List<string> Tags { get; set; } = [];

    /// <summary>Tier name (see <see cref="CustomerTiers"/>), from <see cref="AverageAssets"/>.</summary>
    public string Tier { get; set; } = CustomerTiers.Mass;

    /// <summary>Deposits plus wealth, averaged over the tier window (yuan).</summary>
    public decimal AverageAssets { get; set; }

    /// <summary>The latest daily balance known (yuan) and its date.</summary>
    public decimal DepositBalance { get; set; }
    public decimal WealthBalance { get; set; }
    public DateOnly? BalanceDate { get; set; }

    // From Insights' CustomerSegmentChanged (the nightly segmentation): kept for the manager's view
    // and for the revisit cadence of customers at risk (RevisitRules.IsAtRisk).

    /// <summary>Acquire, Activate, Retain or Convert (win back).</summary>
    public string? LifecycleStage { get; set; }
    public string? ValueSegment { get; set; }

    /// <summary>Recency-frequency-monetary quintiles, e.g. "545".</summary>
    public string? Rfm { get; set; }

    /// <summary>The BG/NBD probability that the customer is still active.</summary>
    public double? ProbabilityAlive { get; set; }
    public decimal? ExpectedLifetimeValue { get; set; }

    /// <summary>When Insights computed the segment kept; an older message arriving late changes nothing.</summary>
    public DateTimeOffset? SegmentComputedAt { get; set; }
}

/// <summary>Tier names, lowest first; they travel in CustomerTierChanged, so they never change.</summary>
public static class CustomerTiers
{
    public const string Mass = "Mass";
    public const string Affluent = "Affluent";
    public const string Wealth = "Wealth";
    public const string HighNetWorth = "HighNetWorth";
    public const string PrivateBanking = "PrivateBanking";

    public static readonly string[] Ordered = [Mass, Affluent, Wealth, HighNetWorth, PrivateBanking];

    public static int Rank(string tier) => Array.IndexOf(Ordered, tier) is var i and >= 0 ? i : 0;
}
