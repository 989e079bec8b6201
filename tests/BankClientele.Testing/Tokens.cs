using BankClientele.Hosting.Auth;

namespace BankClientele.Testing;

/// <summary>Staff tokens as the portal mints them, signed with the run's private key (<see cref="TestServers.PrivateKeyPem"/>).</summary>
public static class Tokens
{
    public static readonly StaffTokenOptions Options = new() { PrivateKey = TestServers.PrivateKeyPem, PublicKey = TestServers.PublicKeyPem };

    /// <summary>A token for the portal's own API (its account endpoints, as the CLI calls them).</summary>
    public static string For(StaffIdentity staff, DateTime? issuedAt = null, StaffTokenOptions? options = null) =>
        For(staff, StaffAudiences.Portal, issuedAt, options);

    /// <summary>A token for one service's audience (<see cref="StaffAudiences"/>): the others refuse it.</summary>
    public static string For(StaffIdentity staff, string audience, DateTime? issuedAt = null, StaffTokenOptions? options = null) =>
        new StaffTokenIssuer(options ?? Options).Issue(staff, audience, issuedAt);

    public static readonly StaffIdentity Administrator = new("ADM-T", "Test administrator", StaffRoles.Administrator, null);
    public static readonly StaffIdentity HeadOffice = new("HQ-T", "Test head office", StaffRoles.HeadOffice, null);

    public static StaffIdentity BranchLead(string branch) => new($"BL-{branch}", "Test lead", StaffRoles.BranchLead, branch);

    /// <summary>A region head (分行行长) whose token carries their region's branches, as the portal mints it.</summary>
    public static StaffIdentity RegionHead(params string[] branches) => new($"RH-{branches[0]}", "Test region head", StaffRoles.RegionHead, null, branches);

    public static StaffIdentity RelationshipManager(string staffId, string branch) => new(staffId, "Test RM", StaffRoles.RelationshipManager, branch);
}
