namespace BankClientele.Portal.Regions;

/// <summary>
/// A region (分行) and the branches (支行) it groups. Only the portal knows regions: it puts a
/// region head's branch codes into the service tokens it mints, so no service needs this table.
/// </summary>
public sealed class Region
{
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public List<string> BranchCodes { get; set; } = [];
}
