using System.Collections;
using System.Globalization;
using System.Text.Json;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Campaigns;
using PocDirectory.Functions.Delivery;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Pocs;

namespace PocDirectory.UnitTests.Campaigns;

public sealed class CampaignReportBuilderTests
{
    private static readonly DateTimeOffset _compiledAt = new(2024, 6, 11, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Build_ThirtyOfFifty_ReportsSixtyPercent()
    {
        var report = Build(ThirtyOfFifty());

        Assert.Equal(new RateBreakdown("All", 50, 30, 20, 0, 0, 0.6), report.Overall);
        Assert.Equal(ResultRows.CampaignId, report.CampaignId);
        Assert.Equal(_compiledAt, report.CompiledAt);
    }

    [Fact]
    public void Build_ThirtyOfFifty_BreaksDownByKind()
    {
        var report = Build(ThirtyOfFifty());

        Assert.Equal(
            [new RateBreakdown("Diplomatic", 25, 20, 5, 0, 0, 0.8), new RateBreakdown("Technical", 25, 10, 15, 0, 0, 0.4)],
            report.ByKind);
    }

    [Fact]
    public void Build_ThirtyOfFifty_BreaksDownByRegionInRegionOrder()
    {
        var report = Build(ThirtyOfFifty());

        Assert.Equal(
            [
                new RateBreakdown("African", 10, 8, 2, 0, 0, 0.8),
                new RateBreakdown("AsiaPacific", 10, 6, 4, 0, 0, 0.6),
                new RateBreakdown("EasternEuropean", 10, 4, 6, 0, 0, 0.4),
                new RateBreakdown("LatinAmericanAndCaribbean", 10, 7, 3, 0, 0, 0.7),
                new RateBreakdown("WesternEuropeanAndOthers", 10, 5, 5, 0, 0, 0.5),
            ],
            report.ByRegion);
    }

    [Fact]
    public void Build_ThirtyOfFifty_BreaksDownByParticipantSortedByCode()
    {
        var report = Build(ThirtyOfFifty());

        Assert.Equal(25, report.ByParticipant.Count);
        Assert.Equal(report.ByParticipant.Select(p => p.Key).Order(StringComparer.Ordinal), report.ByParticipant.Select(p => p.Key));
        Assert.Equal(new RateBreakdown("AF0", 2, 2, 0, 0, 0, 1), report.ByParticipant[0]);
        Assert.Equal(new RateBreakdown("AP2", 2, 1, 1, 0, 0, 0.5), report.ByParticipant.Single(p => p.Key == "AP2"));
        Assert.Equal(new RateBreakdown("EE4", 2, 0, 2, 0, 0, 0), report.ByParticipant.Single(p => p.Key == "EE4"));
    }

    [Fact]
    public void Build_ThirtyOfFifty_ListsParticipantsWhoseNoPocAcknowledged()
    {
        var report = Build(ThirtyOfFifty());

        Assert.Equal(["AP4", "EE3", "EE4", "LA4", "WE4"], report.ParticipantsWithNoResponse);
    }

    [Fact]
    public void Build_OnePocOfTwoAcknowledged_ParticipantHasResponded()
    {
        var rows = new ResultRows();

        var report = Build(
        [
            rows.NoResponse("CH", kind: PocKind.Diplomatic),
            rows.Acknowledged("CH", seconds: 30, kind: PocKind.Technical),
            rows.NoResponse("KE"),
            rows.Undeliverable("KE", "mailbox full"),
            rows.Pending("KE"),
        ]);

        Assert.Equal(["KE"], report.ParticipantsWithNoResponse);
    }

    [Fact]
    public void Build_OddCount_MedianIsMiddleValue()
    {
        var rows = new ResultRows();

        var report = Build([rows.Acknowledged("A", seconds: 30), rows.Acknowledged("B", seconds: 10), rows.Acknowledged("C", seconds: 20)]);

        Assert.Equal(20, report.MedianSecondsToAcknowledge);
        Assert.Equal(30, report.P90SecondsToAcknowledge);
    }

    [Fact]
    public void Build_EvenCount_MedianIsMeanOfMiddlePair()
    {
        var rows = new ResultRows();

        var report = Build(
        [
            rows.Acknowledged("A", seconds: 40),
            rows.Acknowledged("B", seconds: 10),
            rows.Acknowledged("C", seconds: 30),
            rows.Acknowledged("D", seconds: 20),
        ]);

        Assert.Equal(25, report.MedianSecondsToAcknowledge);
        Assert.Equal(40, report.P90SecondsToAcknowledge);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(10, 9)]
    [InlineData(11, 10)]
    [InlineData(20, 18)]
    [InlineData(21, 19)]
    [InlineData(100, 90)]
    public void Build_OneToNSeconds_P90IsNearestRank(int count, double expected)
    {
        var rows = new ResultRows();

        var report = Build(Enumerable.Range(1, count).Reverse().Select(s => rows.Acknowledged($"P{s}", seconds: s)).ToList());

        Assert.Equal(expected, report.P90SecondsToAcknowledge);
    }

    [Fact]
    public void Build_OnlyAcknowledgedRowsAreTimed()
    {
        var rows = new ResultRows();

        var report = Build(
        [
            rows.Acknowledged("A", seconds: 100),
            rows.NoResponse("B"),
            rows.Acknowledged("C", seconds: null),
            rows.Undeliverable("D", "bounced"),
        ]);

        Assert.Equal(100, report.MedianSecondsToAcknowledge);
        Assert.Equal(2, report.Overall.Acknowledged);
        Assert.Equal(1, report.TimeToAcknowledgeHistogram.Sum());
    }

    [Fact]
    public void Build_AcknowledgedBeforeSent_CountsAsImmediate()
    {
        var rows = new ResultRows();

        var report = Build([rows.Acknowledged("A", seconds: -2)]);

        Assert.Equal(0, report.MedianSecondsToAcknowledge);
        Assert.Equal(1, report.TimeToAcknowledgeHistogram[0]);
    }

    [Fact]
    public void Build_Times_FallInBucketWhoseUpperEdgeIsInclusive()
    {
        var rows = new ResultRows();
        double[] seconds = [0, 60, 61, 300, 899, 3600, 3601, 4 * 3600, 86_400, 86_401, 72 * 3600, (72 * 3600) + 1, 30 * 86_400];

        var report = Build(seconds.Select(s => rows.Acknowledged("A", seconds: s)).ToList());

        Assert.Equal([2, 2, 1, 1, 2, 1, 2, 2], report.TimeToAcknowledgeHistogram);
    }

    [Fact]
    public void TimeToAcknowledgeBucketSeconds_AreTheDocumentedEdges()
        => Assert.Equal(
            [60, 300, 900, 3600, 14_400, 86_400, 259_200, double.PositiveInfinity],
            CampaignReportBuilder.TimeToAcknowledgeBucketSeconds);

    [Fact]
    public void Build_AnswersAfterReminders_CountsOnlyThose()
    {
        var rows = new ResultRows();

        var report = Build(
        [
            rows.Acknowledged("A", seconds: 10, afterStep: DeliverySteps.First),
            rows.Acknowledged("B", seconds: 4000, afterStep: 1),
            rows.Acknowledged("C", seconds: 9000, afterStep: 2),
            rows.Acknowledged("D", seconds: 20, afterStep: null),
            rows.NoResponse("E"),
        ]);

        Assert.Equal(2, report.AcknowledgedAfterReminder);
    }

    [Fact]
    public void Build_UndeliverableRows_ListedByParticipantThenPoc()
    {
        var rows = new ResultRows();

        var report = Build(
        [
            rows.Undeliverable("NZ", "550 no such user", pocId: "poc-2"),
            rows.Acknowledged("BR", seconds: 5),
            rows.Undeliverable("BR", null, pocId: "poc-9"),
            rows.Undeliverable("NZ", "mailbox full", pocId: "poc-1"),
        ]);

        Assert.Equal(
            [
                new UndeliverableEntry("poc-9", "BR", null),
                new UndeliverableEntry("poc-1", "NZ", "mailbox full"),
                new UndeliverableEntry("poc-2", "NZ", "550 no such user"),
            ],
            report.Undeliverable);
        Assert.Equal(new RateBreakdown("All", 4, 1, 0, 3, 0, 0.25), report.Overall);
    }

    [Fact]
    public void Build_PendingAndCancelled_PendingInScopeCancelledLeftOut()
    {
        var rows = new ResultRows();

        var report = Build([rows.Pending("A"), rows.Acknowledged("A", seconds: 1), rows.Cancelled("A"), rows.Cancelled("Z")]);

        Assert.Equal(new RateBreakdown("All", 2, 1, 0, 0, 1, 0.5), report.Overall);
        Assert.Equal("A", Assert.Single(report.ByParticipant).Key);
    }

    [Fact]
    public void Build_OnlyTechnicalPocs_ByKindHasOnlyTechnical()
    {
        var rows = new ResultRows();

        var report = Build([rows.NoResponse("A", kind: PocKind.Technical)]);

        Assert.Equal("Technical", Assert.Single(report.ByKind).Key);
    }

    [Fact]
    public void Build_ParticipantsWithoutRegion_GroupedUnderNoneAfterRegions()
    {
        var rows = new ResultRows();

        var report = Build(
        [
            rows.Acknowledged("OSCE", seconds: 1, region: null),
            rows.NoResponse("OAS", region: null),
            rows.NoResponse("FR", region: Region.WesternEuropeanAndOthers),
            rows.Acknowledged("GH", seconds: 2, region: Region.African),
        ]);

        Assert.Equal(["African", "WesternEuropeanAndOthers", "None"], report.ByRegion.Select(r => r.Key));
        Assert.Equal(new RateBreakdown("None", 2, 1, 1, 0, 0, 0.5), report.ByRegion[^1]);
    }

    [Fact]
    public void Build_Thirds_RateRoundedToFourDecimals()
    {
        var rows = new ResultRows();

        var report = Build([rows.Acknowledged("A", seconds: 1), rows.Acknowledged("A", seconds: 1), rows.NoResponse("A")]);

        Assert.Equal(0.6667, report.Overall.ResponseRate);
    }

    [Fact]
    public void Build_Empty_ReportsZerosAndNoTimings()
    {
        var report = Build([]);

        Assert.Equal(new RateBreakdown("All", 0, 0, 0, 0, 0, 0), report.Overall);
        Assert.Empty(report.ByKind);
        Assert.Empty(report.ByRegion);
        Assert.Empty(report.ByParticipant);
        Assert.Null(report.MedianSecondsToAcknowledge);
        Assert.Null(report.P90SecondsToAcknowledge);
        Assert.Equal(new int[CampaignReportBuilder.TimeToAcknowledgeBucketSeconds.Count], report.TimeToAcknowledgeHistogram);
        Assert.Equal(0, report.AcknowledgedAfterReminder);
        Assert.Empty(report.ParticipantsWithNoResponse);
        Assert.Empty(report.Undeliverable);
    }

    [Fact]
    public void Build_LazyResults_EnumeratedOnce()
    {
        var results = new CountingEnumerable(ThirtyOfFifty());

        CampaignReportBuilder.Build(ResultRows.CampaignId, results, _compiledAt);

        Assert.Equal(1, results.Enumerations);
    }

    [Fact]
    public void Build_TenThousandRows_CountsEveryRow()
    {
        var rows = new ResultRows();
        var results = Enumerable.Range(0, 10_000)
            .Select(i => i % 4 == 0 ? rows.NoResponse($"P{i % 193:D3}") : rows.Acknowledged($"P{i % 193:D3}", seconds: i));

        var report = CampaignReportBuilder.Build(ResultRows.CampaignId, results, _compiledAt);

        Assert.Equal(new RateBreakdown("All", 10_000, 7_500, 2_500, 0, 0, 0.75), report.Overall);
        Assert.Equal(193, report.ByParticipant.Count);
        Assert.Equal(7_500, report.TimeToAcknowledgeHistogram.Sum());
    }

    [Fact]
    public void Build_RowOfAnotherCampaign_Throws()
    {
        var rows = new ResultRows();

        var error = Assert.Throws<ArgumentException>(
            () => Build([rows.NoResponse("A"), rows.NoResponse("B") with { CampaignId = "other" }]));

        Assert.Contains("other", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToCsv_ThirtyOfFifty_WritesEveryBreakdownAndSummary()
    {
        var rows = new ResultRows();
        var results = ThirtyOfFifty();
        results.Add(rows.Acknowledged("ZZ", seconds: 90, afterStep: 1, kind: PocKind.Diplomatic, region: null));

        var lines = CsvLines(CampaignReportBuilder.ToCsv(Build(results)));

        Assert.Equal("section,key,inScope,acknowledged,noResponse,undeliverable,pending,responseRate", lines[0]);
        Assert.Equal("overall,All,51,31,20,0,0,0.6078", lines[1]);
        Assert.Equal("byKind,Diplomatic,26,21,5,0,0,0.8077", lines[2]);
        Assert.Equal("byKind,Technical,25,10,15,0,0,0.4", lines[3]);
        Assert.Equal("byRegion,African,10,8,2,0,0,0.8", lines[4]);
        Assert.Equal("byRegion,None,1,1,0,0,0,1", lines[9]);
        Assert.Equal("byParticipant,AF0,2,2,0,0,0,1", lines[10]);
        Assert.Equal("byParticipant,ZZ,1,1,0,0,0,1", lines[35]);
        Assert.Equal("section,key,value", lines[36]);
        Assert.Contains("summary,medianSecondsToAcknowledge,", lines[37], StringComparison.Ordinal);
        Assert.Contains("summary,p90SecondsToAcknowledge,", lines[38], StringComparison.Ordinal);
        Assert.Equal("summary,acknowledgedAfterReminder,1", lines[39]);
        Assert.Equal("summary,heldMessages,0", lines[40]);
        Assert.Equal("summary,heldSeconds,0", lines[41]);
        Assert.Equal(42, lines.Count);
    }

    [Fact]
    public void ToCsv_FractionalFigures_UseInvariantCulture()
    {
        var rows = new ResultRows();
        var report = Build([rows.Acknowledged("A", seconds: 1.5), rows.Acknowledged("B", seconds: 2), rows.NoResponse("C")]);
        var original = CultureInfo.CurrentCulture;
        string csv;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("fr-FR");
            csv = CampaignReportBuilder.ToCsv(report);
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
        }

        var lines = CsvLines(csv);
        Assert.Contains("overall,All,3,2,1,0,0,0.6667", lines);
        Assert.Contains("summary,medianSecondsToAcknowledge,1.75", lines);
        Assert.Contains("summary,p90SecondsToAcknowledge,2", lines);
    }

    [Fact]
    public void ToCsv_NoAcknowledgements_LeavesTimingsEmpty()
    {
        var rows = new ResultRows();

        var lines = CsvLines(CampaignReportBuilder.ToCsv(Build([rows.NoResponse("A")])));

        Assert.Contains("summary,medianSecondsToAcknowledge,", lines);
        Assert.Contains("summary,p90SecondsToAcknowledge,", lines);
    }

    [Fact]
    public void ToCsv_ParticipantCodeLikeFormula_IsNeutralised()
    {
        var rows = new ResultRows();

        var lines = CsvLines(CampaignReportBuilder.ToCsv(Build([rows.NoResponse("=X"), rows.NoResponse("@Y"), rows.NoResponse("+Z")])));

        Assert.Contains("byParticipant,'+Z,1,0,1,0,0,0", lines);
        Assert.Contains("byParticipant,'=X,1,0,1,0,0,0", lines);
        Assert.Contains("byParticipant,'@Y,1,0,1,0,0,0", lines);
        Assert.DoesNotContain(lines, l => l.Contains(",=", StringComparison.Ordinal) || l.StartsWith('='));
    }

    [Fact]
    public void Report_StoredAsApiJson_ReadsBackTheSame()
    {
        var rows = new ResultRows();
        var results = ThirtyOfFifty();
        results.Add(rows.Undeliverable("ZZ", "bounced"));
        results.Add(rows.Pending("ZZ") with { Region = null });
        var json = JsonSerializer.Serialize(Build(results), ApiJson.Options);

        var readBack = JsonSerializer.Deserialize<CampaignReport>(json, ApiJson.Options);

        Assert.Equal(json, JsonSerializer.Serialize(readBack, ApiJson.Options));
    }

    [Fact]
    public void Build_CountsRemindersHeldForBusinessHours_AndHowLong()
    {
        var rows = new ResultRows();
        CampaignResult[] results =
        [
            rows.NoResponse("AAA") with { HeldMessages = 2, HeldSeconds = 7200 },
            rows.Acknowledged("BBB", seconds: 60) with { HeldMessages = 1, HeldSeconds = 5400 },
            rows.NoResponse("CCC"),
        ];

        var report = Build(results);

        Assert.Equal(3, report.HeldMessages);
        Assert.Equal(12600, report.HeldSeconds);
        Assert.Equal(5400, report.LongestHeldSeconds);
    }

    private static CampaignReport Build(IEnumerable<CampaignResult> results)
        => CampaignReportBuilder.Build(ResultRows.CampaignId, results, _compiledAt);

    /// <summary>The report's rows with their cells joined by commas, unquoted (the file quotes every cell).</summary>
    private static List<string> CsvLines(string csv)
    {
        using var parser = new CsvHelper.CsvParser(new StringReader(csv), CultureInfo.InvariantCulture);
        var lines = new List<string>();
        while (parser.Read())
        {
            lines.Add(string.Join(',', parser.Record!));
        }

        return lines;
    }

    /// <summary>
    /// 25 participants, five per region, each with a diplomatic and a technical POC. Participant i of a region
    /// acknowledged on a kind when i is below that region's count for the kind, so acknowledgements total 30 of 50:
    /// diplomatic 20 of 25, technical 10 of 25, and per region 8, 6, 4, 7 and 5 of 10.
    /// </summary>
    private static List<CampaignResult> ThirtyOfFifty()
    {
        (string Prefix, Region Region, int Diplomatic, int Technical)[] regions =
        [
            ("AF", Region.African, 5, 3),
            ("AP", Region.AsiaPacific, 4, 2),
            ("EE", Region.EasternEuropean, 3, 1),
            ("LA", Region.LatinAmericanAndCaribbean, 4, 3),
            ("WE", Region.WesternEuropeanAndOthers, 4, 1),
        ];
        var rows = new ResultRows();
        var results = new List<CampaignResult>();
        foreach (var (prefix, region, diplomatic, technical) in regions)
        {
            for (var i = 0; i < 5; i++)
            {
                var code = prefix + i.ToString(CultureInfo.InvariantCulture);
                results.Add(i < diplomatic
                    ? rows.Acknowledged(code, seconds: 60 * (i + 1), kind: PocKind.Diplomatic, region: region)
                    : rows.NoResponse(code, kind: PocKind.Diplomatic, region: region));
                results.Add(i < technical
                    ? rows.Acknowledged(code, seconds: 600 * (i + 1), kind: PocKind.Technical, region: region)
                    : rows.NoResponse(code, kind: PocKind.Technical, region: region));
            }
        }

        return results;
    }

    /// <summary>Makes result rows with sensible defaults; each instance numbers its POCs so ids stay unique.</summary>
    private sealed class ResultRows
    {
        public const string CampaignId = "cmp-2024-06";

        private static readonly DateTimeOffset _sentAt = new(2024, 6, 10, 9, 0, 0, TimeSpan.Zero);

        private int _next;

        public CampaignResult Acknowledged(
            string participant,
            double? seconds,
            int? afterStep = DeliverySteps.First,
            PocKind kind = PocKind.Technical,
            Region? region = Region.WesternEuropeanAndOthers)
            => Row(participant, PingOutcome.Acknowledged, kind, region) with
            {
                AcknowledgedAt = seconds is { } s ? _sentAt.AddSeconds(s) : null,
                FirstSentAt = seconds is null ? null : _sentAt,
                AcknowledgedAfterStep = afterStep,
            };

        public CampaignResult NoResponse(string participant, PocKind kind = PocKind.Technical, Region? region = Region.WesternEuropeanAndOthers)
            => Row(participant, PingOutcome.NoResponse, kind, region) with { LastStepSent = 2 };

        public CampaignResult Undeliverable(string participant, string? reason, string? pocId = null)
            => Row(participant, PingOutcome.Undeliverable, PocKind.Technical, Region.WesternEuropeanAndOthers) with
            {
                PocId = pocId ?? NextId(),
                UndeliverableReason = reason,
            };

        public CampaignResult Pending(string participant) => Row(participant, PingOutcome.Pending, PocKind.Technical, Region.WesternEuropeanAndOthers);

        public CampaignResult Cancelled(string participant)
            => Row(participant, PingOutcome.Cancelled, PocKind.Technical, Region.WesternEuropeanAndOthers);

        private CampaignResult Row(string participant, PingOutcome outcome, PocKind kind, Region? region)
            => new(CampaignId, NextId(), participant, region, kind, outcome, DeliverySteps.First, _sentAt, null, null, null);

        private string NextId() => "poc-" + (++_next).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Counts how often the report reads its input, as a paged storage query would be re-run each time.</summary>
    private sealed class CountingEnumerable(IEnumerable<CampaignResult> inner) : IEnumerable<CampaignResult>
    {
        public int Enumerations { get; private set; }

        public IEnumerator<CampaignResult> GetEnumerator()
        {
            Enumerations++;
            return inner.GetEnumerator();
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
