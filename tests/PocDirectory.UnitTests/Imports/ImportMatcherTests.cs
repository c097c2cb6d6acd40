using PocDirectory.Functions.Api;
using PocDirectory.Functions.Imports;
using PocDirectory.Functions.Pocs;

namespace PocDirectory.UnitTests.Imports;

public sealed class ImportMatcherTests
{
    private static Poc Existing(string name = "Amina Diallo", string email = "amina@cert.example.org") => new(
        "SGP-01ABC", "SGP", PocKind.Technical, PocRank.Primary, name, "Head", "National CERT", [email],
        [new Phone("+6561234567", PhoneType.DutyLine)], ["en", "fr"], "Asia/Singapore", new Availability(AvailabilityType.TwentyFourSeven),
        null, null, null, PocStatus.Active, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null, DateTimeOffset.UnixEpoch, null, null);

    [Fact]
    public void Match_ItsOwnExport_IsKnown()
    {
        var poc = Existing();
        var result = ImportMatcher.Match(ExchangeMapping.FromPoc(poc), [poc]);
        Assert.Equal(ImportMatch.Known, result.Match);
        Assert.Empty(result.Differences);
    }

    [Fact]
    public void Match_SameAddressInOtherCase_ChangedPosition_IsDifferingInThatColumnOnly()
    {
        var poc = Existing();
        var entry = ExchangeMapping.FromPoc(poc) with { Email = "AMINA@cert.example.org", Position = "Deputy head", Languages = "fr; en" };
        var result = ImportMatcher.Match(entry, [poc]);
        Assert.Equal(ImportMatch.Differing, result.Match);
        Assert.Equal(["position"], result.Differences);
    }

    [Fact]
    public void Match_EmptyOptionalColumns_AreNotDifferences()
    {
        var poc = Existing();
        var entry = ExchangeMapping.FromPoc(poc) with { Position = null, EmergencyPhone = null, Languages = null };
        Assert.Equal(ImportMatch.Known, ImportMatcher.Match(entry, [poc]).Match);
    }

    [Theory]
    [InlineData("Diallo Amina")]
    [InlineData("AMINA DIALLÓ")]
    [InlineData("Amina Dialo")]
    public void Match_NewAddressSimilarName_IsDiffering(string name)
    {
        var poc = Existing();
        var entry = ExchangeMapping.FromPoc(poc) with { Email = "moved@cert.example.org", Representative = name };
        var result = ImportMatcher.Match(entry, [poc]);
        Assert.Equal(ImportMatch.Differing, result.Match);
        Assert.Same(poc, result.Poc);
    }

    [Fact]
    public void Match_OfTwoNearNames_TheExactOneWins_AndAnotherPersonIsNew()
    {
        var anna = Existing("Anna Berg", "anna@cert.example.org");
        var anne = Existing("Anne Berg", "anne@cert.example.org") with { Id = "SGP-01ABD" };
        var entry = ExchangeMapping.FromPoc(anne) with { Email = "new@cert.example.org" };
        Assert.Equal("SGP-01ABD", ImportMatcher.Match(entry, [anna, anne]).Poc!.Id);
        Assert.Equal(ImportMatch.New, ImportMatcher.Match(entry with { Representative = "Boris Petrov" }, [anna, anne]).Match);
    }

    [Fact]
    public void Csv_UnknownColumn_AndAStrayQuote_Are400OnCsv()
    {
        Assert.Contains("csv", Assert.Throws<RequestValidationException>(() => ExchangeCsv.Read("country,colour\nSGP,blue\n")).Errors.Keys);
        Assert.Contains("csv", Assert.Throws<RequestValidationException>(() => ExchangeCsv.Read("country,representative\nSGP,Un\"quoted\n")).Errors.Keys);
        var entries = ExchangeCsv.Read("Country,Representative,business_hours\nSGP,\"Lim, Wei\",\"Mon,Tue 09:00-17:00\"\n\n");
        Assert.Equal("Lim, Wei", Assert.Single(entries).Representative);
        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Tuesday], ExchangeMapping.ParseAvailability(entries[0].BusinessHours)!.Days);
    }
}
