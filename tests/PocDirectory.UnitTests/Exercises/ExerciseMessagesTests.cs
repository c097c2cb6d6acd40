using Microsoft.Extensions.Options;
using PocDirectory.Functions.Exercises;

namespace PocDirectory.UnitTests.Exercises;

/// <summary>Exercise messages carry the markers, written in one place; bad exercise inputs are refused by name.</summary>
public sealed class ExerciseMessagesTests
{
    private static readonly Inject Reply = new(2, "PT5S", "Situation <report>", "Is your CERT seeing the same indicators?", InjectExpects.Reply, null, "PT20S",
        InjectTo.AllPlayers, [], ["Yes", "No"]);

    [Fact]
    public void Inject_StartsAndEndsWithTheMarkerLine_AndTheSubjectIsMarked()
    {
        var message = Compose(Reply, dryRun: false);

        Assert.StartsWith("[EXERCISE] ", message.Subject, StringComparison.Ordinal);
        Assert.Contains("EXR-1", message.Subject, StringComparison.Ordinal);
        var lines = message.PlainText.Trim().Split('\n');
        Assert.Equal(ExerciseTexts.Marker, lines[0].Trim());
        Assert.Equal(ExerciseTexts.Marker, lines[^1].Trim());
        Assert.Contains("https://pocs.example.org/exercise/tok", message.PlainText, StringComparison.Ordinal);
        Assert.Contains("Yes, No", message.PlainText, StringComparison.Ordinal);
        var body = message.Html[(message.Html.IndexOf("<body", StringComparison.Ordinal))..];
        Assert.StartsWith(ExerciseTexts.Marker, StripTags(body).Trim(), StringComparison.Ordinal);
        Assert.EndsWith(ExerciseTexts.Marker, StripTags(body).Trim(), StringComparison.Ordinal);
        Assert.Contains("Situation &lt;report&gt;", message.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Mark_IsAppliedOnce_AndDryRunsSaySo()
    {
        var message = Compose(Reply, dryRun: true);

        Assert.Same(message, ExerciseEmails.Mark(message));
        Assert.Contains("Dry run", message.Subject, StringComparison.Ordinal);
        Assert.Contains(PocDirectory.Functions.Email.MessageTexts.English["exercise.dryRunNote"], message.PlainText, StringComparison.Ordinal);
        Assert.Equal(2, CountOf(message.PlainText, ExerciseTexts.Marker));
    }

    [Theory]
    [InlineData("out of order", "injects")]
    [InlineData("beyond 30 days", "injects[0].at")]
    [InlineData("contact without participant", "injects[0].contactParticipant")]
    [InlineData("contact naming a non-player", "injects[0].contactParticipant")]
    [InlineData("no players", "players")]
    [InlineData("participants with all players", "injects[0].participants")]
    [InlineData("respondWithin too short", "injects[0].respondWithin")]
    public void Validator_RefusesBadExercises_NamingTheField(string bad, string field)
    {
        var ok = new InjectInput("PT0S", "Start", "Acknowledge please.", InjectExpects.Acknowledge, null, "PT20S", InjectTo.AllPlayers, []);
        var input = new ExerciseInput("Exercise", null, new PlayerScope(["ISL", "NOR"], [], []), ["control@example.org"], bad switch
        {
            "out of order" => [ok with { At = "PT10S" }, ok with { At = "PT5S" }],
            "beyond 30 days" => [ok with { At = "P31D" }],
            "contact without participant" => [ok with { Expects = InjectExpects.ContactParticipant }],
            "contact naming a non-player" => [ok with { Expects = InjectExpects.ContactParticipant, ContactParticipant = "FRA" }],
            "participants with all players" => [ok with { Participants = ["ISL"] }],
            "respondWithin too short" => [ok with { RespondWithin = "PT1S" }],
            _ => [ok],
        });
        if (bad == "no players")
        {
            input = input with { Players = new PlayerScope([], [], []) };
        }

        var result = new ExerciseInputValidator(Options.Create(new ExerciseOptions())).Validate(input);

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => string.Equals(PocDirectory.Functions.Api.Validation.ClientFieldName(e.PropertyName), field, StringComparison.OrdinalIgnoreCase));
        Assert.True(new ExerciseInputValidator(Options.Create(new ExerciseOptions())).Validate(input with { Players = new PlayerScope(["ISL", "NOR"], [], []), Injects = [ok] }).IsValid);
    }

    [Fact]
    public void TrySplit_ReadsLiveAndDryRunDeliveries_AndRefusesOthers()
    {
        Assert.True(ExerciseDelivery.TrySplit("01ABC-i3", out var id, out var key, out var number, out var dryRun));
        Assert.Equal(("01ABC", "i3", 3, false), (id, key, number, dryRun));
        Assert.True(ExerciseDelivery.TrySplit("01ABC-d2i1", out _, out key, out number, out dryRun));
        Assert.Equal(("d2i1", 1, true), (key, number, dryRun));
        Assert.False(ExerciseDelivery.TrySplit("01ABC", out _, out _, out _, out _));
        Assert.False(ExerciseDelivery.TrySplit("01A/C-i1", out _, out _, out _, out _));
    }

    private static PocDirectory.Functions.Email.EmailMessage Compose(Inject inject, bool dryRun) => ExerciseEmails.Inject(new InjectEmailModel(
        "01ABC", "EXR-1", "Comcheck 2027", inject, dryRun, "01ABC-i2", "Ana Example", "ana@example.org", "Europe/Oslo",
        new Uri("https://pocs.example.org/exercise/tok"), new DateTimeOffset(2027, 5, 10, 10, 0, 20, TimeSpan.Zero), 0));

    private static string StripTags(string html) => System.Text.RegularExpressions.Regex.Replace(html, "<[^>]+>", string.Empty);

    private static int CountOf(string text, string what) => (text.Length - text.Replace(what, string.Empty, StringComparison.Ordinal).Length) / what.Length;
}
