using BankClientele.Hosting.Auth;

namespace BankClientele.Acquisition.Prospects;

public enum ProspectStatus
{
    Open,
    Converted,
}

/// <summary>Someone with no account yet (增量客群) that a branch or campaign is working on.</summary>
public sealed class Prospect : IBranchOwned
{
    public Guid Id { get; init; }
    public required string FullName { get; set; }
    public required string Phone { get; set; }
    public required string BranchCode { get; set; }
    public string? CampaignCode { get; set; }
    public ProspectStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public string CreatedBy { get; init; } = "";

    // Set on conversion (an account opened).
    public Guid? CustomerId { get; set; }
    public string? AccountNumber { get; set; }
    public decimal? InitialDeposit { get; set; }
    public DateTimeOffset? ConvertedAt { get; set; }
}
