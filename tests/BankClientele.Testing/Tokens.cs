using BankClientele.Hosting.Auth;

namespace BankClientele.Testing;

public static class Tokens
{
    public static readonly StaffTokenOptions Options = new() { SigningKey = TestServers.SigningKey };

    public static string For(StaffIdentity staff, DateTime? issuedAt = null, StaffTokenOptions? options = null) =>
        new StaffTokenIssuer(options ?? Options).Issue(staff, issuedAt);

    public static readonly StaffIdentity Administrator = new("ADM-T", "Test administrator", StaffRoles.Administrator, null);
    public static readonly StaffIdentity HeadOffice = new("HQ-T", "Test head office", StaffRoles.HeadOffice, null);

    public static StaffIdentity BranchLead(string branch) => new($"BL-{branch}", "Test lead", StaffRoles.BranchLead, branch);

    public static StaffIdentity RelationshipManager(string staffId, string branch) => new(staffId, "Test RM", StaffRoles.RelationshipManager, branch);
}
