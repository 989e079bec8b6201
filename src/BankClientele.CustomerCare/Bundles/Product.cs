using System.Text.Json.Serialization;
using BankClientele.Hosting.Auth;

namespace BankClientele.CustomerCare.Bundles;

/// <summary>A product of the catalogue, with its risk rating R1–R5 and the minimum amount (yuan).</summary>
public sealed class Product
{
    public required string Code { get; init; }
    public required string Name { get; set; }
    public ProductKind Kind { get; set; }

    /// <summary>Term of time deposits and certificates, in months.</summary>
    public int? TermMonths { get; set; }

    /// <summary>1 to 5 (R1 to R5); a customer may hold it only when assessed at that level or above (C_n ≥ R_n).</summary>
    public int RiskRating { get; set; }
    public decimal MinimumAmount { get; set; }
}

[JsonConverter(typeof(JsonStringEnumConverter<ProductKind>))]
public enum ProductKind
{
    DemandDeposit,
    TimeDeposit,
    LargeCertificate,
    WealthManagement,
    Fund,
    Insurance,
}

/// <summary>A bundle (产品捆绑): one deposit product with one or more wealth products.</summary>
public sealed class Bundle
{
    public required string Code { get; init; }
    public required string Name { get; set; }
    public required string DepositProductCode { get; set; }
    public List<string> WealthProductCodes { get; set; } = [];
    public bool Active { get; set; } = true;
}

/// <summary>A bundle offered to a customer by their manager; proposed until accepted, declined or expired.</summary>
public sealed class Offer : IRelationshipManagerOwned
{
    public Guid Id { get; init; }
    public Guid CustomerId { get; init; }
    public required string BranchCode { get; init; }
    public string? RelationshipManagerId { get; init; }
    public required string BundleCode { get; init; }
    public decimal Amount { get; init; }
    public OfferStatus Status { get; set; } = OfferStatus.Proposed;
    public required string ProposedBy { get; init; }
    public DateTimeOffset ProposedAt { get; init; }
    public DateOnly ExpiresOn { get; init; }
    public DateTimeOffset? DecidedAt { get; set; }

    /// <summary>The campaign the offer was made for (its contact), if any.</summary>
    public string? CampaignCode { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<OfferStatus>))]
public enum OfferStatus
{
    Proposed,
    Accepted,
    Declined,
    Expired,

    /// <summary>The customer will think about it: still open (may be accepted or declined until it expires).</summary>
    Later,
}
