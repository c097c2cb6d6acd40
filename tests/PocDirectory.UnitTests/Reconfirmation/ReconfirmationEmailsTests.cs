using PocDirectory.Functions.Reconfirmation;

namespace PocDirectory.UnitTests.Reconfirmation;

public sealed class ReconfirmationEmailsTests
{
    private static ReconfirmationEmailModel Model(int step) => new(
        "01ROUND", "CONF-20261202-ABCD", "Ana Example", "ana@cert.example.org", "Europe/Vienna", new DateTimeOffset(2026, 8, 1, 9, 0, 0, TimeSpan.Zero), step,
        new Uri("https://portal.example.org/confirm/token"), new Uri("https://portal.example.org/#/pocs/EXA-01"), new DateTimeOffset(2026, 12, 16, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Request_CarriesTheOneClickLink_TheUpdateLink_TheLastConfirmationAndTheDeadline()
    {
        var message = ReconfirmationEmails.Request(Model(0));

        Assert.Contains("https://portal.example.org/confirm/token", message.PlainText, StringComparison.Ordinal);
        Assert.Contains("https://portal.example.org/#/pocs/EXA-01", message.PlainText, StringComparison.Ordinal);
        Assert.Contains("2026", message.PlainText, StringComparison.Ordinal);
        Assert.Contains("CONF-20261202-ABCD", message.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain("Reminder", message.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void Reminder_IsNumbered_AndKeyedApartFromTheRequest()
    {
        var request = ReconfirmationEmails.Request(Model(0));
        var reminder = ReconfirmationEmails.Request(Model(1));

        Assert.StartsWith("Reminder 1: ", reminder.Subject, StringComparison.Ordinal);
        Assert.NotEqual(request.IdempotencyKey, reminder.IdempotencyKey);
    }

    [Fact]
    public void Overdue_NamesThePocsThatDidNotConfirm_ToTheFocalPoint()
    {
        var message = ReconfirmationEmails.Overdue(new OverdueEmailModel("01ROUND", "CONF-20261202-ABCD", "focal@mfa.example.org", "Republic of Example", ["Ben Silent"]));

        Assert.Contains("Ben Silent", message.PlainText, StringComparison.Ordinal);
        Assert.Contains("Republic of Example", message.Subject, StringComparison.Ordinal);
        Assert.Equal("focal@mfa.example.org", message.To);
    }
}
