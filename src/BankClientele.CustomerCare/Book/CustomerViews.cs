using BankClientele.Hosting.Privacy;

namespace BankClientele.CustomerCare.Book;

/// <summary>
/// A customer as staff see them. <see cref="BookProfile"/> projects it from the book in SQL with
/// the personal data still plain; <see cref="Masked"/> must be applied before it leaves the service.
/// </summary>
public sealed record CustomerView
{
    public Guid Id { get; init; }
    public string? CustomerNumber { get; init; }
    public string FullName { get; init; } = "";
    public string PhoneMasked { get; init; } = "";
    public string? IdNumberMasked { get; init; }
    public string? Gender { get; init; }
    public int? BirthYear { get; init; }
    public string BranchCode { get; init; } = "";
    public string? City { get; init; }
    public string? District { get; init; }
    public string? Occupation { get; init; }
    public string AccountNumberMasked { get; init; } = "";
    public decimal InitialDeposit { get; init; }
    public string? RelationshipManagerId { get; init; }
    public string? RelationshipManagerName { get; init; }
    public DateTimeOffset JoinedAt { get; init; }
    public string Tier { get; init; } = CustomerTiers.Mass;
    public decimal AverageAssets { get; init; }
    public decimal DepositBalance { get; init; }
    public decimal WealthBalance { get; init; }
    public DateOnly? BalanceDate { get; init; }

    /// <summary>Risk-assessment level 1 to 5 (C1 to C5) and its date; an assessment is valid one year.</summary>
    public int? RiskLevel { get; init; }
    public DateOnly? RiskAssessedOn { get; init; }
    public bool RiskAssessmentExpired { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Insights' latest segmentation of the customer (null until it has sent one).</summary>
    public string? LifecycleStage { get; init; }
    public string? ValueSegment { get; init; }
    public string? Rfm { get; init; }
    public double? ProbabilityAlive { get; init; }
    public decimal? ExpectedLifetimeValue { get; init; }

    public CustomerView Masked(DateOnly today) => this with
    {
        FullName = PersonalData.MaskName(FullName),
        PhoneMasked = PersonalData.MaskPhone(PhoneMasked),
        IdNumberMasked = IdNumberMasked is null ? null : PersonalData.MaskNumber(IdNumberMasked),
        AccountNumberMasked = PersonalData.MaskNumber(AccountNumberMasked),
        // Tags are the core-banking file's free text: a number typed into one is masked (also in rows stored before the rule).
        Tags = Tags.Select(t => FreeText.MaskNumbers(t)!).ToList(),
        RiskAssessmentExpired = RiskAssessedOn is not { } on || on.AddYears(1) < today,
    };
}

/// <summary>An account or product a customer holds; the account number masked.</summary>
public sealed record HoldingView
{
    public string AccountNumberMasked { get; init; } = "";
    public string ProductCode { get; init; } = "";
    public DateOnly OpenedOn { get; init; }
    public DateOnly? MaturesOn { get; init; }
    public decimal Balance { get; init; }

    public HoldingView Masked() => this with { AccountNumberMasked = PersonalData.MaskNumber(AccountNumberMasked) };
}

/// <summary>One day of a customer's balances (yuan).</summary>
public sealed record DailyBalanceView(DateOnly Date, decimal Deposit, decimal Wealth);

/// <summary>A customer's personal data, unmasked (see GET /api/customers/{id}/personal-data).</summary>
public sealed record CustomerPersonalData(Guid Id, string FullName, string Phone, string AccountNumber, string? IdNumber = null);
