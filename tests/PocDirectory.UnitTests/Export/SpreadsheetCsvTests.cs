using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using PocDirectory.Functions.Campaigns;
using PocDirectory.Functions.Export;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Pocs;

namespace PocDirectory.UnitTests.Export;

public sealed class SpreadsheetCsvTests
{
    /// <summary>Values a participant or POC could enter that a spreadsheet would run if a cell started with them.</summary>
    private static readonly string[] Hostile =
    [
        "=1+2", "+41227917000", "-2", "@SUM(A1)", "\t=cmd()", "\r=cmd()", "a;=cmd()", "a,=cmd()", "a;+cmd()", "x\";=cmd()",
        "x\",=cmd()", "\"=cmd()", "a\n=cmd()", "a\r\n@cmd()", "; =cmd()", ";;-1",
    ];

    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];

    [Theory]
    [InlineData(";")]
    [InlineData(",")]
    public void Write_HostileValues_NoCellStartsWithAFormula_WhateverTheSeparator(string separator)
        => AssertNoFormula(SpreadsheetCsv.Write(Hostile.Select(value => new[] { "before", value, "after" })), separator);

    [Fact]
    public void Write_ReadBackWithComma_KeepsEachValueInItsCell_OnOneLine_BehindOneQuote()
    {
        var rows = Cells(SpreadsheetCsv.Write(Hostile.Select(value => new[] { "before", value, "after" })), ",");

        Assert.Equal(Hostile.Length, rows.Count);
        for (var i = 0; i < Hostile.Length; i++)
        {
            var written = System.Text.RegularExpressions.Regex.Replace(Hostile[i].ReplaceLineEndings(" "), "([;,]\"*|^\"+)([=+@\t-])", "$1'$2");
            var expected = FormulaStarts.Contains(written[0]) ? "'" + written : written;
            Assert.Equal(["before", expected, "after"], rows[i]);
        }
    }

    [Fact]
    public void Write_EveryField_IsQuoted()
        => Assert.Equal("\"a\",\"\",\"\",\"1\"\r\n", SpreadsheetCsv.Write([["a", "", null, "1"]]));

    [Theory]
    [InlineData(";")]
    [InlineData(",")]
    public void DirectoryExport_HostilePoc_NoCellStartsWithAFormula(string separator)
    {
        var now = DateTimeOffset.UnixEpoch;
        var participants = Hostile.Select(h => new Participant(h, h, ParticipantType.RegionalOrganisation, null, NominationStatus.None, null, 0, 0)).ToList();
        var pocs = Hostile.Select(h => new Poc(
            Id: h, Participant: h, Kind: PocKind.Technical, Rank: PocRank.Primary, FullName: h, Position: h, Organisation: h,
            Emails: [h, h], Phones: [new Phone(h, PhoneType.Office)], Languages: [h], TimeZone: h,
            Availability: new Availability(AvailabilityType.BusinessHours, [DayOfWeek.Monday], h, h), PgpPublicKey: h, PgpFingerprint: h, PgpExpiresAt: null,
            Status: PocStatus.Active, LastConfirmedAt: now, CreatedAt: now, CreatedBy: h, UpdatedAt: now, UpdatedBy: h, RetiredAt: null)).ToList();

        AssertNoFormula(ExportService.ToCsv(new DirectoryExport(now, participants, pocs)), separator);
    }

    [Theory]
    [InlineData(";")]
    [InlineData(",")]
    public void CampaignReport_HostileParticipantCodes_NoCellStartsWithAFormula(string separator)
    {
        var breakdowns = Hostile.Select(h => new RateBreakdown(h, 1, 0, 1, 0, 0, 0)).ToList();
        var report = new CampaignReport("c", DateTimeOffset.UnixEpoch, breakdowns[0], breakdowns, breakdowns, breakdowns, null, null, [], 0, Hostile, []);

        AssertNoFormula(CampaignReportBuilder.ToCsv(report), separator);
    }

    private static void AssertNoFormula(string csv, string separator)
    {
        var cells = Cells(csv, separator).SelectMany(row => row).ToList();
        Assert.NotEmpty(cells);
        Assert.DoesNotContain(cells, cell => cell.Length > 0 && FormulaStarts.Contains(cell[0]));
    }

    /// <summary>Reads the file as a spreadsheet does with the given separator: quotes group a cell, doubled quotes escape.</summary>
    private static List<string[]> Cells(string csv, string separator)
    {
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture) { Delimiter = separator, BadDataFound = null };
        using var parser = new CsvParser(new StringReader(csv), configuration);
        var rows = new List<string[]>();
        while (parser.Read())
        {
            rows.Add(parser.Record!);
        }

        return rows;
    }
}
