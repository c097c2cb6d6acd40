using PocDirectory.Functions.Outreach;
using PocDirectory.Functions.Participants;

namespace PocDirectory.UnitTests.Outreach;

public sealed class OutreachEmailsTests
{
    private static OutreachEmailModel Model(Missing missing, int step = 0, string? body = null) => new(
        "01ABC", "OUT-20261202-WXYZ", null, body, "Republic of Example", missing, "Ms Counsellor", "cyber@mission.example.org", step,
        new Uri("https://portal.example.org/ack/token"), new Uri("https://portal.example.org/#/"));

    [Theory]
    [InlineData(Missing.NoPoc, "Republic of Example has not yet nominated any point of contact.")]
    [InlineData(Missing.NoTechnicalPoc, "Republic of Example has nominated a diplomatic point of contact but no technical point of contact yet.")]
    [InlineData(Missing.NoDiplomaticPoc, "Republic of Example has nominated a technical point of contact but no diplomatic point of contact yet.")]
    public void Letter_SaysWhatIsMissing_AndHowToNominate_WithTheLinkAndReference(Missing missing, string sentence)
    {
        var message = OutreachEmails.Letter(Model(missing));

        Assert.Contains(sentence, message.PlainText, StringComparison.Ordinal);
        Assert.Contains("note verbale", message.PlainText, StringComparison.Ordinal);
        Assert.Contains("https://portal.example.org/ack/token", message.PlainText, StringComparison.Ordinal);
        Assert.Contains("OUT-20261202-WXYZ", message.Subject, StringComparison.Ordinal);
        Assert.Equal("cyber@mission.example.org", message.To);
    }

    [Fact]
    public void Reminder_IsNumbered_AndKeyedApartFromTheLetter_AndACustomBodyStillSaysWhatIsMissing()
    {
        var letter = OutreachEmails.Letter(Model(Missing.NoPoc));
        var reminder = OutreachEmails.Letter(Model(Missing.NoPoc, step: 1, body: "Dear colleagues,\n\nA personal note."));

        Assert.StartsWith("Reminder 1: ", reminder.Subject, StringComparison.Ordinal);
        Assert.NotEqual(letter.IdempotencyKey, reminder.IdempotencyKey);
        Assert.Contains("A personal note.", reminder.PlainText, StringComparison.Ordinal);
        Assert.Contains("has not yet nominated any point of contact", reminder.PlainText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Missing.NoPoc, 0, 0, true)]
    [InlineData(Missing.NoPoc, 1, 0, false)]
    [InlineData(Missing.NoTechnicalPoc, 1, 0, true)]
    [InlineData(Missing.NoTechnicalPoc, 1, 1, false)]
    [InlineData(Missing.NoDiplomaticPoc, 0, 2, true)]
    [InlineData(Missing.NoDiplomaticPoc, 1, 2, false)]
    public void StillLacks_IsWhatWasMissing_NotAnyOtherGap(Missing missing, int diplomatic, int technical, bool lacks)
    {
        var participant = new Participant("EXA", "Example", ParticipantType.MemberState, Region.African, NominationStatus.None, null, diplomatic, technical);
        Assert.Equal(lacks, OutreachDelivery.StillLacks(missing, participant));
    }
}
