namespace BankClientele.Contracts.Acquisition;

/// <summary>A prospect opened an account: it becomes a customer of <paramref name="BranchCode"/>.</summary>
/// <param name="CustomerId">The id the new customer keeps in every service.</param>
/// <param name="CampaignCode">The campaign the conversion is attributed to, if any.</param>
public sealed record ProspectConverted(
    Guid ProspectId,
    Guid CustomerId,
    string FullName,
    string Phone,
    string BranchCode,
    string AccountNumber,
    decimal InitialDeposit,
    string? CampaignCode,
    DateTimeOffset ConvertedAt);
