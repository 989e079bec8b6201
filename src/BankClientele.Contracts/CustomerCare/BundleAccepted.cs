namespace BankClientele.Contracts.CustomerCare;

/// <summary>A customer accepted a product bundle (产品捆绑) offered by their relationship manager; amounts in yuan.</summary>
public sealed record BundleAccepted(
    Guid OfferId,
    Guid CustomerId,
    string BranchCode,
    string? RelationshipManagerId,
    string BundleCode,
    decimal Amount,
    DateTimeOffset AcceptedAt,
    Guid? LobbyEventId = null);
