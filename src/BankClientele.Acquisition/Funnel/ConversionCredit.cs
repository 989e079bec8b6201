namespace BankClientele.Acquisition.Funnel;

/// <summary>
/// The audit of one conversion's credit: which rule gave which branch, member of staff, campaign
/// and cost the conversion, and from which touches.
/// </summary>
public sealed class ConversionCredit
{
    public Guid Id { get; init; }
    public Guid ProspectId { get; init; }
    public Guid CustomerId { get; init; }
    public required string Source { get; init; }
    public required string CreditedBranchCode { get; init; }
    public string? CreditedStaffId { get; init; }
    public string? CampaignCode { get; init; }
    public decimal AcquisitionCost { get; init; }
    public required string Rule { get; init; }
    public DateTimeOffset DecidedAt { get; init; }
}
