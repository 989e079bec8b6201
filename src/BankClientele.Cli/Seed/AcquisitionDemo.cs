using System.Globalization;
using System.Text;
using BankClientele.Acquisition.Campaigns;
using BankClientele.Acquisition.Import;
using BankClientele.Acquisition.Partners;
using BankClientele.Acquisition.Prospects;
using BankClientele.Acquisition.Segments;
using BankClientele.Cli.Infrastructure;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Privacy;
using Spectre.Console;

namespace BankClientele.Cli.Seed;

/// <summary>
/// Acquisition's demo data, pushed through its real APIs and import: a partner per branch, three
/// campaigns per branch (targeted with a holdout, community event, partner) approved by the branch lead,
/// launched and costed; the uplift campaign of <see cref="DemoEffects"/> to existing customers; prospects
/// <see cref="DemoPeople.FirstProspect"/>..<see cref="DemoPeople.LastProspect"/> through the CSV import, each of
/// the channel and funnel stage <see cref="DemoChannels"/> drew (the 600 who open an account later reach an appointment,
/// so their touches exist before the "recent accounts" feed converts them), and the contacts of that funnel.
/// </summary>
public sealed class AcquisitionDemo(CliContext context, SeedApi api)
{
    public const string Wording = "本人同意本行通过电话、短信、微信向本人推送存款及理财产品营销信息；可随时通过任一渠道撤回。";
    private static readonly string[] Kinds = [CampaignKinds.Targeted, CampaignKinds.CommunityEvent, CampaignKinds.Partner];

    public static string CampaignCode(string branch, string kind) => $"ACQ-{branch}-{kind switch { CampaignKinds.Targeted => "T", CampaignKinds.CommunityEvent => "E", _ => "P" }}";

    public static string ReferralCode(string branch) => $"REF{branch}";

    /// <summary>The campaign a demo prospect came through: its channel's, drawn by <see cref="DemoChannels"/>.</summary>
    public static string KindOf(int index) => DemoChannels.Lead(index).Channel.CampaignKind;

    public async Task<string> RunAsync(DateOnly today, CancellationToken ct)
    {
        var acquisition = api.Acquisition;
        var existing = await acquisition.GetAsync<List<CampaignFigures>>("/api/campaigns", ct);
        if (existing.Any(c => c.Code == CampaignCode("SH001", CampaignKinds.Targeted)))
        {
            return "already there";
        }
        foreach (var branch in DemoNetwork.Branches)
        {
            await acquisition.SendAsync(HttpMethod.Put, "/api/partners",
                new SavePartner($"PTN-{branch.Code}", $"{branch.City}{branch.District}合作商户联盟", branch.Code, ReferralCode(branch.Code), 150m), ct);
            for (var k = 0; k < Kinds.Length; k++)
            {
                var kind = Kinds[k];
                var starts = today.AddDays(-150 + k * 20);
                await LaunchAsync(new CreateCampaign(
                    CampaignCode(branch.Code, kind),
                    kind switch { CampaignKinds.Targeted => $"{branch.Name}新客精准营销", CampaignKinds.CommunityEvent => $"{branch.District}社区理财讲座", _ => $"{branch.District}商户联名开卡" },
                    kind, branch.Code, 30_000m + 10_000m * k, starts, today.AddDays(30),
                    Staff: string.Join(",", DemoNetwork.RelationshipManagers.Where(m => m.BranchCode == branch.Code).Select(m => m.StaffId)),
                    Segment: kind == CampaignKinds.Targeted ? "30-49 岁, 本区, 有理财兴趣" : null,
                    Channel: kind == CampaignKinds.Targeted ? "phone" : null,
                    Script: kind == CampaignKinds.Targeted ? "您好，我是本行客户经理，近期有新客专享存款利率……" : null,
                    HoldoutFraction: kind == CampaignKinds.Targeted ? 0.1 : 0,
                    Place: kind == CampaignKinds.CommunityEvent ? $"{branch.District}社区活动中心" : null,
                    Capacity: kind == CampaignKinds.CommunityEvent ? 120 : null,
                    ExpectedAttendance: kind == CampaignKinds.CommunityEvent ? 90 : null,
                    PartnerCode: kind == CampaignKinds.Partner ? $"PTN-{branch.Code}" : null,
                    CostTerms: kind == CampaignKinds.Partner ? "每位开户并入金客户 150 元" : null), ct);
                for (var c = 0; c < 3; c++)
                {
                    // Each cost to the channel its leads arrive through, so CAC per channel adds up.
                    await acquisition.SendAsync(HttpMethod.Post, $"/api/campaigns/{CampaignCode(branch.Code, kind)}/costs",
                        new RecordCost(2_000m + 1_500m * c + 500m * k, c switch { 0 => "物料", 1 => "场地", _ => "人员" }, starts.AddDays(c * 10),
                            Channel: ChannelOf(kind)), ct);
                }
            }
        }

        // The targeted deposit campaign to existing customers whose effect the core-banking balances build in.
        var upliftStarts = today.AddDays(-DemoEffects.UpliftCampaignStartsDaysAgo);
        await LaunchAsync(new CreateCampaign(DemoEffects.UpliftCampaignCode, "存量客户存款提升计划", CampaignKinds.Targeted, DemoEffects.UpliftCampaignBranches[0],
            200_000m, upliftStarts, upliftStarts.AddDays(90), Segment: "上海三行存量客户（每十位取一）", Channel: "phone",
            Script: "尊敬的客户，本行推出存量客户专享存款加息活动……", HoldoutFraction: DemoEffects.UpliftCampaignHoldout), ct);
        await acquisition.SendAsync(HttpMethod.Post, $"/api/campaigns/{DemoEffects.UpliftCampaignCode}/costs",
            new RecordCost(45_000m, "外呼", upliftStarts.AddDays(7), Channel: "staff"), ct);
        var audience = Enumerable.Range(1, DemoNetwork.CustomerCount).Where(DemoEffects.InUpliftCampaignAudience).Select(DemoNetwork.CustomerNumber).ToList();
        var assigned = await AssignAudienceAsync(audience, ct);

        // All of them through the real CSV import, then the contacts of their funnel as the plan drew it.
        var plan = Enumerable.Range(DemoPeople.FirstProspect, DemoPeople.RecentlyConverted + DemoPeople.OpenProspects).Select(DemoChannels.Lead).ToList();
        ImportResult imported;
        using (var http = ImportClient())
        {
            imported = await ImportAsync(http, ProspectCsv(plan, today), ct);
        }
        var (contacts, withdrawn) = await LogPlannedContactsAsync(plan, ManagerClient, today, ct);

        // Each branch's lead defines a target segment; SH001 has a manager's draft awaiting approval; SH002's event is over.
        foreach (var branch in DemoNetwork.Branches)
        {
            using var lead = LeadClient(branch.Code);
            await lead.SendAsync<SegmentDefinitionView>(HttpMethod.Post, "/api/segments",
                new DefineSegment(branch.Code, $"{branch.District}理财兴趣 30-39 岁", new SegmentCriteria(District: branch.District, AgeBand: "30-39", Tag: "理财")), ct);
        }
        using (var manager = ManagerClient("SH001"))
        {
            await manager.SendAsync<CampaignView>(HttpMethod.Post, "/api/campaigns", new CreateCampaign("ACQ-SH001-DRAFT", "陆家嘴白领午间理财沙龙",
                CampaignKinds.CommunityEvent, "SH001", 8_000m, today.AddDays(14), today.AddDays(14), Staff: "RM-SH001-01",
                Segment: "浦东新区理财兴趣 30-39 岁", Place: "陆家嘴金融城会议室", Capacity: 40, ExpectedAttendance: 30), ct);
            await manager.SendAsync<CampaignView>(HttpMethod.Post, "/api/campaigns/ACQ-SH001-DRAFT/submission", new { }, ct);
        }
        using (var lead = LeadClient("SH002"))
        {
            await lead.SendAsync<CampaignView>(HttpMethod.Post, $"/api/campaigns/{CampaignCode("SH002", CampaignKinds.CommunityEvent)}/closure",
                new CloseCampaign(ActualAttendance: 84), ct);
        }

        return $"{DemoNetwork.Branches.Count} partners, {DemoNetwork.Branches.Count * 3 + 2} campaigns, audience {assigned}, " +
               $"{imported.Rows} imported ({imported.Inserted} new, {imported.Merged} merged), {contacts} contacts, {withdrawn} consents withdrawn";
    }

    /// <summary>
    /// The demo's prospect list (the import's columns), a row per planned lead. A lead's consent time is its arrival
    /// (the import's touch, its first): for those who open, their channel's planned delay before the opening, so the
    /// funnel page's days to convert show it (<see cref="DemoLead.ArrivedAt"/>).
    /// </summary>
    public static string ProspectCsv(IEnumerable<DemoLead> plan, DateOnly today)
    {
        var csv = new StringBuilder("full_name,phone,id_number,branch_code,campaign_code,channel,referral_code,district,age_band,occupation,consent_at,consent_channel,consent_wording,city,community,income_band,tags\n");
        foreach (var lead in plan)
        {
            var index = lead.Index;
            var p = DemoPeople.Person(index);
            var kind = lead.Channel.CampaignKind;
            // Every lead the plan has contacted gave consent (no contact without it); of the others, seven in ten.
            var consent = lead.Stage > DemoLeadStage.New || index % 10 < 7
                ? $"{lead.ArrivedAt(today):yyyy-MM-ddTHH:mm:sszzz},{ChannelOf(kind)},{Wording}"
                : ",,";
            csv.Append(CultureInfo.InvariantCulture,
                $"{p.FullName},{p.Phone},{p.IdNumber},{p.HomeBranchCode},{CampaignCode(p.HomeBranchCode, kind)},{ChannelOf(kind)},{(kind == CampaignKinds.Partner ? ReferralCode(p.HomeBranchCode) : "")},{p.District},{AgeBand(p, today)},{p.Occupation},{consent},{p.City},{CommunityOf(p.District, index)},{IncomeBandOf(index)},\"{TagsOf(index)}\"\n");
        }
        return csv.ToString();
    }

    /// <summary>
    /// The funnel as the plan drew it: each branch's manager (<paramref name="managerOf"/>) logs each planned lead's
    /// furthest outcome (those who open reached an appointment before the "recent accounts" feed converts them). The list
    /// shows names and phones masked, so planned leads are found by campaign and masked name and phone.
    /// </summary>
    public static async Task<(int Contacts, int Withdrawn)> LogPlannedContactsAsync(
        IReadOnlyList<DemoLead> plan, Func<string, ServiceClient> managerOf, DateOnly today, CancellationToken ct)
    {
        var planned = plan.Where(l => l.Stage > DemoLeadStage.New)
            .Select(l => (Lead: l, Person: DemoPeople.Person(l.Index)))
            .ToLookup(x => (CampaignCode(x.Person.HomeBranchCode, x.Lead.Channel.CampaignKind), PersonalData.MaskName(x.Person.FullName), PersonalData.MaskPhone(x.Person.Phone)), x => x.Lead);
        var random = new Random(DemoNetwork.RandomSeed + 23);
        var contacts = 0;
        var withdrawn = 0;
        foreach (var branch in DemoNetwork.Branches)
        {
            using var manager = managerOf(branch.Code);
            foreach (var kind in Kinds)
            {
                var code = CampaignCode(branch.Code, kind);
                var leads = await manager.GetAsync<List<ProspectView>>($"/api/prospects?campaignCode={code}&stage=New", ct);
                var waiting = leads.Where(l => l.MarketingConsent).OrderBy(l => l.Id)
                    .GroupBy(l => (code, l.FullName, l.PhoneMasked)).ToList();
                foreach (var group in waiting)
                {
                    foreach (var (view, lead) in group.Zip(planned[group.Key]))
                    {
                        var outcome = lead.Stage switch
                        {
                            DemoLeadStage.Appointment => "appointment",
                            DemoLeadStage.Interested => "interested",
                            _ => random.Next(3) switch { 0 => "reached", 1 => "no-answer", _ => "declined" },
                        };
                        await manager.SendAsync<ProspectView>(HttpMethod.Post, $"/api/prospects/{view.Id}/contacts",
                            new LogContact(random.Next(3) == 0 ? "wechat" : "phone", outcome, code, NextActionOn: today.AddDays(1 + random.Next(7))), ct);
                        contacts++;
                        if (outcome == "declined" && random.Next(2) == 0)
                        {
                            // Some who declined also withdraw their consent: the lead stays, and can no longer be contacted.
                            await manager.SendAsync<ProspectView>(HttpMethod.Post, $"/api/prospects/{view.Id}/consents/marketing/withdrawal", new WithdrawConsent("phone"), ct);
                            withdrawn++;
                        }
                    }
                }
            }
        }
        return (contacts, withdrawn);
    }

    private static string ChannelOf(string kind) => DemoChannels.OfKind(kind).Channel;

    private static readonly string[] Communities = ["花园社区", "滨江社区", "新村社区", "中心社区"];
    private static readonly string[] Interests = ["理财", "亲子", "养老", "运动", "旅行", "教育"];

    private static string CommunityOf(string district, int index) => district + Communities[index / 7 % Communities.Length];

    private static string IncomeBandOf(int index) => (index / 3 % 4) switch { 0 => "<10万", 1 => "10-20万", 2 => "20-50万", _ => "50万+" };

    /// <summary>Interests as a survey or event sign-up records them (comma separated).</summary>
    private static string TagsOf(int index) => index % 5 == 4 ? Interests[index % 6] : $"{Interests[index % 6]},{Interests[(index / 6 + 1) % 6]}";

    private static string AgeBand(DemoPerson person, DateOnly today)
    {
        var age = today.Year - person.BirthDate.Year;
        return age switch { < 30 => "20-29", < 40 => "30-39", < 50 => "40-49", < 60 => "50-59", _ => "60+" };
    }

    private async Task LaunchAsync(CreateCampaign campaign, CancellationToken ct)
    {
        await api.Acquisition.SendAsync<CampaignView>(HttpMethod.Post, "/api/campaigns", campaign, ct);
        using var lead = LeadClient(campaign.BranchCode);
        await lead.SendAsync<CampaignView>(HttpMethod.Post, $"/api/campaigns/{campaign.Code}/approval", new { }, ct);
        await lead.SendAsync<CampaignView>(HttpMethod.Post, $"/api/campaigns/{campaign.Code}/launch", new { }, ct);
    }

    /// <summary>
    /// The audience are customers acquisition learns from the feed's CustomerRegistered events, which
    /// may still be arriving: retried for up to two minutes.
    /// </summary>
    private async Task<string> AssignAudienceAsync(List<string> numbers, CancellationToken ct)
    {
        // The feed's CustomerRegistered events arrive over the bus behind the feed's other events: minutes on a small machine.
        var deadline = DateTimeOffset.UtcNow.AddMinutes(15);
        while (true)
        {
            try
            {
                var result = await api.Acquisition.SendAsync<AudienceAssigned>(HttpMethod.Post, $"/api/campaigns/{DemoEffects.UpliftCampaignCode}/audience",
                    new AssignAudience(numbers), ct);
                return $"{result.Treated} treated + {result.Control} held out";
            }
            catch (ServiceCallException e) when (e.StatusCode == System.Net.HttpStatusCode.BadRequest && DateTimeOffset.UtcNow < deadline)
            {
                context.Note("Waiting for acquisition to learn the uplift campaign's customers from the feed (CustomerRegistered)…");
                await Task.Delay(TimeSpan.FromSeconds(3), ct);
            }
        }
    }

    /// <summary>POST /api/prospects/import with the list as text/csv (ServiceClient speaks JSON only), as <paramref name="http"/>'s staff member.</summary>
    public static async Task<ImportResult> ImportAsync(HttpClient http, string csv, CancellationToken ct)
    {
        using var content = new StringContent(csv, Encoding.UTF8, "text/csv");
        using var response = await http.PostAsync("/api/prospects/import", content, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new ServiceCallException(ServiceCatalog.Acquisition, HttpMethod.Post, "/api/prospects/import", response.StatusCode, body);
        }
        return System.Text.Json.JsonSerializer.Deserialize<ImportResult>(body, System.Text.Json.JsonSerializerOptions.Web)!;
    }

    /// <summary>The administrator's client for the import (minutes allowed, where ServiceClient waits 30 s).</summary>
    private HttpClient ImportClient()
    {
        var admin = DemoNetwork.Administrator;
        var http = new HttpClient { BaseAddress = api.Acquisition.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new("Bearer",
            context.Settings.TokenIssuer().Issue(new StaffIdentity(admin.StaffId, admin.DisplayName, StaffRoles.Administrator, null), ServiceCatalog.Acquisition.Audience));
        return http;
    }

    private ServiceClient ManagerClient(string branch)
    {
        var manager = DemoNetwork.RelationshipManagers.First(m => m.BranchCode == branch);
        return Client(new StaffIdentity(manager.StaffId, manager.Name, StaffRoles.RelationshipManager, branch));
    }

    private ServiceClient LeadClient(string branch) => Client(new StaffIdentity($"BL-{branch}", $"{branch} 网点负责人", StaffRoles.BranchLead, branch));

    private ServiceClient Client(StaffIdentity staff) =>
        new(ServiceCatalog.Acquisition, context.Settings.BaseAddress(ServiceCatalog.Acquisition), context.Settings.TokenIssuer().Issue(staff, ServiceCatalog.Acquisition.Audience));
}
