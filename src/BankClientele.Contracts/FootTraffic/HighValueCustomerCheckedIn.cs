namespace BankClientele.Contracts.FootTraffic;

/// <summary>A customer of a high tier took a ticket or was greeted at a branch: their manager should know within seconds.</summary>
public sealed record HighValueCustomerCheckedIn(
    Guid VisitId,
    Guid CustomerId,
    string BranchCode,
    string Tier,
    string ServiceType,
    DateTimeOffset ArrivedAt);
