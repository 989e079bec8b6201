using BankClientele.Hosting.Refusals;
using BankClientele.Acquisition.Campaigns;
using BankClientele.Acquisition.Funnel;
using BankClientele.Acquisition.Import;
using BankClientele.Acquisition.Prospects;
using BankClientele.Acquisition.Segments;
using BankClientele.Hosting.Privacy;

namespace BankClientele.Acquisition.Tests.Prospects;

/// <summary>The acquisition rules on their own: matching, consent, funnel, segment scores, attribution and CAC.</summary>
public sealed class AcquisitionRuleTests
{
    private static readonly PersonalDataHash Hash = TestServers.Hashes;

    private static Prospect NewProspect(LeadStage stage = LeadStage.New, bool consent = true) => new()
    {
        Id = Guid.NewGuid(), FullName = "王小明", Phone = "13800001111", BranchCode = "SH001", Stage = stage,
        MarketingConsent = consent, CreatedAt = DateTimeOffset.UtcNow.AddDays(-10),
    };

    [Test]
    public void Rows_sharing_a_normalised_phone_or_an_id_number_are_one_person_transitively()
    {
        var groups = new DuplicateGroups();
        var a = groups.Add(Hash.Phone("138 0000 1111"), null);
        var b = groups.Add(Hash.Phone("13900002222"), Hash.IdNumber("31011519900101123x"));
        var c = groups.Add(Hash.Phone("+86 138-0000-1111"), Hash.IdNumber("31011519900101123X")); // links a and b
        var d = groups.Add(Hash.Phone("13700003333"), null);
        Assert.Multiple(() =>
        {
            Assert.That(groups.GroupOf(a), Is.EqualTo(a));
            Assert.That(groups.GroupOf(b), Is.EqualTo(a), "b shares c's ID number, c shares a's phone");
            Assert.That(groups.GroupOf(c), Is.EqualTo(a));
            Assert.That(groups.GroupOf(d), Is.EqualTo(d));
        });
    }

    [Test]
    public void The_import_hasher_gives_the_same_hashes_as_the_one_shot_calls()
    {
        string[] phones = ["13800001111", "+86 138-0000-1111", "0086 13800001111", "8613800001111", "86138000011", "12-34", "  ", "", "abc",
            "1234567", new string('9', 200)];
        string[] idNumbers = ["31011519900101123x", "31011519900101123X", " 310115-1990 0101 123x ", "E12345678", "  ", "", "--", new string('a', 300)];
        using var hasher = Hash.CreateHasher();
        Assert.Multiple(() =>
        {
            foreach (var phone in phones)
            {
                Assert.That(hasher.Phone(phone), Is.EqualTo(Hash.Phone(phone)), phone);
            }
            foreach (var id in idNumbers)
            {
                Assert.That(hasher.IdNumber(id), Is.EqualTo(Hash.IdNumber(id)), id);
            }
            Assert.That(hasher.Phone("13800001111"), Is.Not.Null.And.EqualTo(Hash.Phone("+86 138 0000 1111")));
        });
    }

    [Test]
    public void Merging_fills_what_is_missing_keeps_what_is_known_and_takes_the_newer_campaign()
    {
        var prospect = NewProspect();
        prospect.District = "浦东新区";
        prospect.Tags = "理财";
        prospect.CampaignCode = "CMP-OLD";
        ProspectIntake.Merge(prospect, new Arrival("王小明", "13800001111", "310115199001011234", "SH001", "CMP-NEW", "import", null,
            DateTimeOffset.UtcNow, District: "徐汇区", AgeBand: "30-39", Tags: "理财,亲子"), Hash.Phone("13800001111"), Hash.IdNumber("310115199001011234"));
        Assert.Multiple(() =>
        {
            Assert.That(prospect.District, Is.EqualTo("浦东新区"));
            Assert.That(prospect.AgeBand, Is.EqualTo("30-39"));
            Assert.That(prospect.IdNumberHash, Is.EqualTo(Hash.IdNumber("310115199001011234")));
            Assert.That(prospect.Tags, Is.EqualTo("理财,亲子"));
            Assert.That(prospect.CampaignCode, Is.EqualTo("CMP-NEW"));
        });
    }

    [Test]
    public void Contact_needs_marketing_consent_and_a_phone_off_the_do_not_contact_list()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ConsentRules.CheckContact(NewProspect(consent: true), onDoNotContactList: false), Is.Null);
            Assert.That(ConsentRules.CheckContact(NewProspect(consent: false), false)!.Title, Is.EqualTo("No marketing consent"));
            Assert.That(ConsentRules.CheckContact(NewProspect(consent: true), true)!.Title, Is.EqualTo("On the do-not-contact list"));
        });
    }

    [Test]
    public void Withdrawing_consent_stops_marketing_at_once_and_financial_data_consent_is_separate()
    {
        var prospect = NewProspect(consent: false);
        ConsentRules.Apply(prospect, new ProspectConsent { Kind = ConsentKinds.Marketing, Given = true, Channel = "phone", Wording = "同意接收营销信息" });
        Assert.That(ConsentRules.CheckContact(prospect, false), Is.Null);
        Assert.That(prospect.FinancialDataConsent, Is.False, "marketing consent does not cover financial data");
        ConsentRules.Apply(prospect, new ProspectConsent { Kind = ConsentKinds.Marketing, Given = false, Channel = "sms", Wording = "withdrawn" });
        Assert.That(ConsentRules.CheckContact(prospect, false)!.Title, Is.EqualTo("No marketing consent"));
    }

    [Test]
    public void The_funnel_moves_forward_only_and_stamps_the_stages_it_passes()
    {
        var prospect = NewProspect();
        var t1 = DateTimeOffset.UtcNow;
        Assert.That(FunnelRules.Advance(prospect, LeadStage.Appointment, t1), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(prospect.Stage, Is.EqualTo(LeadStage.Appointment));
            Assert.That(prospect.ContactedAt, Is.EqualTo(t1));
            Assert.That(prospect.InterestedAt, Is.EqualTo(t1));
            Assert.That(prospect.AppointmentAt, Is.EqualTo(t1));
        });
        Assert.That(FunnelRules.Advance(prospect, FunnelRules.StageOfOutcome("no-answer"), t1.AddDays(1)), Is.False, "a later no-answer does not move it back");
        Assert.That(prospect.Stage, Is.EqualTo(LeadStage.Appointment));
        Assert.That(FunnelRules.NextAction(LeadStage.New, mayContact: false), Is.EqualTo("ask-consent"));
        Assert.That(FunnelRules.NextAction(LeadStage.Interested, mayContact: true), Is.EqualTo("book-appointment"));
    }

    [Test]
    public void Balances_mark_activation_then_the_deposits_30_and_90_days_after_opening()
    {
        var prospect = NewProspect(LeadStage.AccountOpened);
        var opened = new DateOnly(2026, 6, 1);
        prospect.ConvertedAt = new DateTimeOffset(opened.ToDateTime(new TimeOnly(12, 0)), TimeSpan.FromHours(8));
        ConvertedCustomerDepositsConsumer.Apply(prospect, opened.AddDays(-1), DateTimeOffset.UtcNow, 5_000m);
        Assert.That(prospect.ActivatedAt, Is.Null, "a balance before the account opened says nothing");
        ConvertedCustomerDepositsConsumer.Apply(prospect, opened, DateTimeOffset.UtcNow, 0m);
        Assert.That(prospect.ActivatedAt, Is.Null, "no deposit yet");
        ConvertedCustomerDepositsConsumer.Apply(prospect, opened.AddDays(2), DateTimeOffset.UtcNow, 10_000m);
        ConvertedCustomerDepositsConsumer.Apply(prospect, opened.AddDays(30), DateTimeOffset.UtcNow, 30_000m);
        ConvertedCustomerDepositsConsumer.Apply(prospect, opened.AddDays(31), DateTimeOffset.UtcNow, 31_000m);
        ConvertedCustomerDepositsConsumer.Apply(prospect, opened.AddDays(90), DateTimeOffset.UtcNow, 90_000m);
        Assert.Multiple(() =>
        {
            Assert.That(prospect.Stage, Is.EqualTo(LeadStage.FirstDeposit));
            Assert.That(prospect.ActivatedAt, Is.Not.Null);
            Assert.That(prospect.DepositAfter30Days, Is.EqualTo(30_000m));
            Assert.That(prospect.DepositAfter90Days, Is.EqualTo(90_000m));
        });
    }

    [Test]
    public void Segments_are_ranked_on_reachability_size_profitability_and_fit()
    {
        static SegmentCandidate Candidate(string district, string ageBand, int size, int reachable, decimal value) =>
            new($"{district} · {ageBand}", new SegmentCriteria(District: district, AgeBand: ageBand), size, reachable, value, ProfitabilityBasis.Clv);
        var ranked = SegmentScoring.Rank(
        [
            Candidate("浦东新区", "30-39", size: 400, reachable: 300, value: 80_000m),
            Candidate("徐汇区", "60+", size: 100, reachable: 10, value: 20_000m),
            Candidate("静安区", "20-29", size: 200, reachable: 200, value: 40_000m),
        ], branchCapacity: 150);
        var top = ranked[0];
        Assert.Multiple(() =>
        {
            Assert.That(ranked.Select(r => r.Criteria["district"]), Is.EqualTo(new[] { "浦东新区", "静安区", "徐汇区" }));
            Assert.That(top.Label, Is.EqualTo("浦东新区 · 30-39"));
            Assert.That(top.Criteria["ageBand"], Is.EqualTo("30-39"));
            Assert.That(top.Reachability, Is.EqualTo(75.0));
            Assert.That(top.SizeScore, Is.EqualTo(100.0));
            Assert.That(top.Profitability, Is.EqualTo(100.0));
            Assert.That(top.Fit, Is.EqualTo(50.0), "150 of 300 reachable can be served");
            Assert.That(top.Score, Is.EqualTo(81.3));
            Assert.That(ranked[2].Fit, Is.EqualTo(100.0));
        });
    }

    [Test]
    public void Expected_value_is_the_clv_of_similar_customers_shrunk_to_the_branch_else_deposits()
    {
        Assert.Multiple(() =>
        {
            // Five similar customers at 200k weigh as much as the branch's mean of 100k.
            Assert.That(SegmentScoring.ExpectedValue(200_000m, 5, 100_000m, 9_999m), Is.EqualTo((150_000m, ProfitabilityBasis.Clv)));
            // No similar customer yet: the branch's CLV, not the segment's deposits (one unit for all).
            Assert.That(SegmentScoring.ExpectedValue(null, 0, 100_000m, 9_999m), Is.EqualTo((100_000m, ProfitabilityBasis.Clv)));
            // No CLV has arrived at all: the deposits of the segment's converted people, as before.
            Assert.That(SegmentScoring.ExpectedValue(null, 0, null, 30_000m), Is.EqualTo((30_000m, ProfitabilityBasis.Deposits)));
            Assert.That(SegmentScoring.ExpectedValue(null, 0, null, null), Is.EqualTo((0m, ProfitabilityBasis.None)));
        });
    }

    [Test]
    public void Segment_criteria_on_the_four_dimensions_are_checked_and_named()
    {
        var criteria = new SegmentCriteria(City: "上海", Community: "联洋社区", IncomeBand: "20-50万", Tag: "理财", Channel: "partner", Engagement: "hot", Touches: "2-3");
        Assert.Multiple(() =>
        {
            Assert.That(SegmentDimensions.Check(criteria).Codes(), Is.Empty);
            Assert.That(criteria.Set().Keys, Is.EqualTo(new[] { "city", "community", "incomeBand", "tag", "channel", "engagement", "touches" }));
            Assert.That(SegmentDimensions.All.Select(d => d.Group).Distinct(), Is.EqualTo(new[] { "geographic", "demographic", "psychographic", "behavioural" }));
            var bad = SegmentDimensions.Check(new SegmentCriteria(Engagement: "lukewarm", Touches: "9"));
            Assert.That(bad.Codes(), Is.EquivalentTo(new Dictionary<string, string[]>
            {
                ["engagement"] = [FieldReasons.NotOneOf], ["touches"] = [FieldReasons.NotOneOf],
            }));
        });
    }

    [Test]
    public void A_conversion_credits_the_account_branch_its_last_staff_there_and_the_last_campaign()
    {
        var t0 = DateTimeOffset.UtcNow.AddDays(-20);
        var touches = new List<ProspectTouch>
        {
            new() { Id = Guid.NewGuid(), Channel = "community-event", CampaignCode = "EVT-1", BranchCode = "SH002", StaffId = "RM-SH002-01", At = t0 },
            new() { Id = Guid.NewGuid(), Channel = "contact-phone", CampaignCode = "TGT-1", BranchCode = "SH001", StaffId = "RM-SH001-02", At = t0.AddDays(5) },
            new() { Id = Guid.NewGuid(), Channel = "contact-phone", BranchCode = "SH002", StaffId = "RM-SH002-03", At = t0.AddDays(8) },
            new() { Id = Guid.NewGuid(), Channel = "lobby", CampaignCode = "LATE", BranchCode = "SH001", StaffId = "RM-SH001-04", At = t0.AddDays(30) },
        };
        var credit = Attribution.Credit(touches, "SH001", t0.AddDays(10),
            code => code == "TGT-1" ? new CampaignCostBasis("TGT-1", CostToDate: 9_000m, Leads: 300, PartnerFeePerConversion: null) : null);
        Assert.Multiple(() =>
        {
            Assert.That(credit.BranchCode, Is.EqualTo("SH001"));
            Assert.That(credit.StaffId, Is.EqualTo("RM-SH001-02"), "the last staff touch at the account's branch, not SH002's later one");
            Assert.That(credit.CampaignCode, Is.EqualTo("TGT-1"), "last-touch campaign before the account opened");
            Assert.That(credit.FirstTouch!.CampaignCode, Is.EqualTo("EVT-1"));
            Assert.That(credit.LastTouch!.StaffId, Is.EqualTo("RM-SH002-03"));
            Assert.That(credit.AcquisitionCost, Is.EqualTo(30m), "9,000 yuan over 300 leads");
        });
        var partner = Attribution.Credit(touches, "SH001", t0.AddDays(10), _ => new CampaignCostBasis("TGT-1", 9_000m, 300, PartnerFeePerConversion: 200m));
        Assert.That(partner.AcquisitionCost, Is.EqualTo(200m), "a partner campaign costs its fee per conversion");
    }

    [Test]
    public void Cac_is_cost_per_account_opened_and_undefined_before_the_first()
    {
        var figures = new CampaignFigures("C", "n", "targeted", "SH001", "Running", 50_000m, Leads: 200, Contacted: 120, Interested: 60,
            Appointments: 30, AccountsOpened: 16, Activated: 10, 0m, 0m, Cost: 12_000m, AverageDaysToConvert: 12.5);
        Assert.Multiple(() =>
        {
            Assert.That(figures.Cac, Is.EqualTo(750m));
            Assert.That(figures.CostPerActivated, Is.EqualTo(1_200m));
            Assert.That(figures.ConversionRate, Is.EqualTo(0.08));
            Assert.That(figures with { AccountsOpened = 0 }, Has.Property(nameof(CampaignFigures.Cac)).Null);
        });
    }
}
