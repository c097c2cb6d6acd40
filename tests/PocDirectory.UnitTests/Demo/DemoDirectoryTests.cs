using PocDirectory.Demo;
using PocDirectory.Functions.Pocs;

namespace PocDirectory.UnitTests.Demo;

/// <summary>The demo's sample data (tools/PocDirectory.Demo) passes the API's own rules, so ./run.sh --demo never stops on a 400.</summary>
public sealed class DemoDirectoryTests
{
    private static readonly string ParticipantsCsv = Path.Combine(
        PocDirectory.TestSupport.RepoPaths.Root, "functions", "PocDirectory.Functions", "Participants", "participants.csv");

    [Fact]
    public void DemoPocs_EachOne_PassesThePocValidator()
    {
        var validator = new PocInputValidator(TimeProvider.System);
        var failures = DemoDirectory.Pocs
            .Select(p => (p, result: validator.Validate(new PocInput(
                p.Participant, Enum.Parse<PocKind>(p.Kind), Enum.Parse<PocRank>(p.Rank), p.FullName, p.Position, p.Organisation, [p.Email],
                p.Phone is null ? [] : [new PhoneInput(p.Phone, Enum.Parse<PhoneType>(p.PhoneType))], p.Languages, p.TimeZone,
                p.BusinessHours
                    ? new AvailabilityInput(AvailabilityType.BusinessHours, [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday], "09:00", "17:00")
                    : new AvailabilityInput(AvailabilityType.TwentyFourSeven, null, null, null),
                null))))
            .Where(r => !r.result.IsValid)
            .Select(r => $"{r.p.Participant} {r.p.FullName}: {r.result}")
            .ToList();
        Assert.Empty(failures);
    }

    [Fact]
    public void DemoDirectory_FromItsSeed_Has120ReferenceParticipants_280PocsWithDistinctAddresses_InTheSixUnLanguagesAndOthers()
    {
        var reference = File.ReadLines(ParticipantsCsv).Skip(1).Select(l => l.Split(',')[0]).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(120, DemoDirectory.Participants.Select(p => p.Code).Distinct().Count());
        Assert.All(DemoDirectory.Participants, p => Assert.Contains(p.Code, reference));
        Assert.Equal(280, DemoDirectory.Pocs.Count);
        Assert.Equal(280, DemoDirectory.Pocs.Select(p => p.Email).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        var languages = DemoDirectory.Pocs.SelectMany(p => p.Languages).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(new HashSet<string>(["ar", "zh", "en", "fr", "ru", "es"]), languages);
        Assert.True(languages.Count > 30, $"Only {languages.Count} languages.");
        Assert.True(DemoDirectory.Pocs.Select(p => p.TimeZone).Distinct().Count() > 60);
        Assert.Contains(DemoDirectory.Pocs, p => p.Phone is not null);
    }
}
