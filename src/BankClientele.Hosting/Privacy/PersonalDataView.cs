namespace BankClientele.Hosting.Privacy;

/// <summary>
/// One look at someone's unmasked personal data: who, in which role, whose, which fields, why and
/// when. Kept in the same database as the data, written in the same request that shows it.
/// </summary>
public sealed class PersonalDataView
{
    public Guid Id { get; init; }
    public required string StaffId { get; init; }
    public required string Role { get; init; }
    public required string SubjectType { get; init; }
    public Guid SubjectId { get; init; }
    public required string Fields { get; init; }
    public required string Reason { get; init; }
    public DateTimeOffset ViewedAt { get; init; }
}
