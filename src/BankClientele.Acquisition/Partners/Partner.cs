using BankClientele.Hosting.Auth;

namespace BankClientele.Acquisition.Partners;

/// <summary>A partner firm of co-marketing (合作营销); its referral code tags the prospects it sends.</summary>
public sealed class Partner : IBranchOwned
{
    public required string Code { get; init; }
    public required string Name { get; set; }
    public required string BranchCode { get; init; }
    public required string ReferralCode { get; init; }

    /// <summary>The fee per referred prospect who opens an account (yuan), by the partner's cost terms.</summary>
    public decimal FeePerConversion { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
}
