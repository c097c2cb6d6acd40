using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MimeKit;
using PocDirectory.TestSupport;

namespace PocDirectory.IntegrationTests;

/// <summary>Issue 19 item 1 through real SMTP: each POC's ping in its first operational language among the six UN languages.</summary>
[Collection(InMemoryCampaignCollection.Name)]
public sealed class MessageLanguageTests(InMemoryCampaignFixture fixture)
{
    [Fact]
    public async Task Campaign_over_POCs_whose_first_languages_are_fr_ar_zh_and_de_sends_fr_ar_rtl_zh_and_en()
    {
        var participant = await fixture.NewParticipantAsync();
        var firstLanguages = new Dictionary<string, string> { ["fr"] = "fr", ["ar"] = "ar", ["zh"] = "zh", ["de"] = "en" };
        var emails = new Dictionary<string, string>();
        foreach (var first in firstLanguages.Keys)
        {
            var email = $"lang-{first}-{participant.ToLowerInvariant()}@example.org";
            await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant, fullName: $"Person {first}")
                .With("emails", new JsonArray(email))
                .With("languages", first == "de" ? new JsonArray("de", "it") : new JsonArray(first, "en")));
            emails[first] = email;
        }

        await CampaignHelpers.StartAsync(fixture.SecretariatClient, new
        {
            name = $"Languages of {participant}",
            scope = new { participants = new[] { participant } },
            responseWindow = "PT60S",
        });

        var messages = await CampaignHelpers.MessagesToAsync(fixture.Smtp, [.. emails.Values], 4, TimeSpan.FromSeconds(60));
        foreach (var (first, expected) in firstLanguages)
        {
            var message = Assert.Single(messages, m => m.To.Mailboxes.Single().Address == emails[first]);
            Assert.Equal(expected, message.Body?.Headers[HeaderId.ContentLanguage]);
            Assert.Contains($"<html lang=\"{expected}\"", message.HtmlBody, StringComparison.Ordinal);
            Assert.Equal(expected == "ar", message.HtmlBody!.Contains("dir=\"rtl\"", StringComparison.Ordinal));
            CampaignHelpers.LinkIn(message);
        }

        Assert.StartsWith("Répertoire mondial", Subject(messages, emails["fr"]), StringComparison.Ordinal);
        Assert.StartsWith("الدليل العالمي", Subject(messages, emails["ar"]), StringComparison.Ordinal);
        Assert.StartsWith("全球联络点名录", Subject(messages, emails["zh"]), StringComparison.Ordinal);
        Assert.StartsWith("Global POC Directory", Subject(messages, emails["de"]), StringComparison.Ordinal);
    }

    private static string Subject(IEnumerable<MimeMessage> messages, string to) => messages.Single(m => m.To.Mailboxes.Single().Address == to).Subject ?? string.Empty;
}

/// <summary>Issue 19 item 1 for outreach: each mission contact's letter in the language recorded for it, else English.</summary>
[Collection(OutreachCollection.Name)]
public sealed class OutreachLanguageTests(OutreachFixture fixture)
{
    [Fact]
    public async Task Outreach_letters_go_to_mission_contacts_in_their_language_fr_and_ar_right_to_left_and_English_without_one()
    {
        var code = await fixture.NewParticipantAsync();
        var addresses = new Dictionary<string, string>
        {
            ["fr"] = $"mission-fr-{Guid.NewGuid():N}@example.org",
            ["ar"] = $"mission-ar-{Guid.NewGuid():N}@example.org",
            ["en"] = $"mission-none-{Guid.NewGuid():N}@example.org",
        };
        using (var put = new HttpRequestMessage(HttpMethod.Put, $"api/participants/{code}/mission")
        {
            Content = JsonContent.Create(new
            {
                contacts = new object[]
                {
                    new { name = "Conseillère (cyber)", email = addresses["fr"], language = "fr-CH" },
                    new { name = "المستشار", email = addresses["ar"], language = "ar" },
                    new { name = "Counsellor", email = addresses["en"] },
                },
            }),
        })
        {
            put.Headers.TryAddWithoutValidation("If-Match", "W/\"mission-none\"");
            using var saved = await fixture.SecretariatClient.SendAsync(put);
            Assert.True(saved.StatusCode == HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
            Assert.Equal("fr-CH", (await saved.ReadJsonAsync())["contacts"]![0]!["language"]!.GetValue<string>());
        }

        using var sent = await fixture.SecretariatClient.PostAsJsonAsync("api/outreach", new
        {
            scope = new { nominationStatus = new[] { "None" }, regions = Array.Empty<string>(), participants = new[] { code } },
            reminders = new[] { "PT60S" },
        });
        Assert.True(sent.StatusCode == HttpStatusCode.Accepted, await sent.Content.ReadAsStringAsync());

        var letters = await CampaignHelpers.MessagesToAsync(fixture.Smtp, [.. addresses.Values], 3, TimeSpan.FromSeconds(120));
        foreach (var (language, address) in addresses)
        {
            var letter = letters.Single(m => CampaignHelpers.AddressOf(m) == address);
            Assert.Equal(language, letter.Body?.Headers[HeaderId.ContentLanguage]);
            Assert.Contains($"<html lang=\"{language}\"", letter.HtmlBody, StringComparison.Ordinal);
            Assert.Equal(language == "ar", letter.HtmlBody!.Contains("dir=\"rtl\"", StringComparison.Ordinal));
            Assert.Contains("/ack/", letter.TextBody, StringComparison.Ordinal);
        }

        var participant = $"Test organisation {code}";
        Assert.StartsWith("Désignation de points de contact", Of(letters, addresses["fr"]).Subject, StringComparison.Ordinal);
        Assert.Contains($"{participant} n'a encore désigné aucun point de contact.", Of(letters, addresses["fr"]).TextBody, StringComparison.Ordinal);
        Assert.StartsWith("تسمية جهات اتصال", Of(letters, addresses["ar"]).Subject, StringComparison.Ordinal);
        Assert.Contains($"لم يسمِّ {participant} بعد أي جهة اتصال.", Of(letters, addresses["ar"]).TextBody, StringComparison.Ordinal);
        Assert.StartsWith("Nominating points of contact", Of(letters, addresses["en"]).Subject, StringComparison.Ordinal);
    }

    private static MimeMessage Of(IEnumerable<MimeMessage> messages, string to) => messages.Single(m => CampaignHelpers.AddressOf(m) == to);
}

/// <summary>Issue 19 item 1 for re-confirmation: each stale POC is asked in its first operational language.</summary>
[Collection(ReconfirmationCollection.Name)]
public sealed class ReconfirmationLanguageTests(ReconfirmationFixture fixture)
{
    [Fact]
    public async Task Reconfirmation_requests_go_in_each_POCs_first_language_fr_and_ar_right_to_left()
    {
        var participant = await fixture.NewParticipantAsync();
        var addresses = new Dictionary<string, string> { ["fr"] = $"reconfirm-fr-{Guid.NewGuid():N}@example.org", ["ar"] = $"reconfirm-ar-{Guid.NewGuid():N}@example.org" };
        foreach (var (language, address) in addresses)
        {
            await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant, language == "fr" ? "Diplomatic" : "Technical", $"Person {language}")
                .With("emails", new JsonArray(address))
                .With("languages", new JsonArray(language, "en")));
        }

        // Stale 20 s after creation: the timer asks both, each in its own language.
        var requests = await CampaignHelpers.MessagesToAsync(fixture.Smtp, [.. addresses.Values], 2, TimeSpan.FromSeconds(150));
        foreach (var (language, address) in addresses)
        {
            var request = requests.First(m => CampaignHelpers.AddressOf(m) == address && CampaignHelpers.StepOf(m) == 0);
            Assert.Equal(language, request.Body?.Headers[HeaderId.ContentLanguage]);
            Assert.Equal(language == "ar", request.HtmlBody!.Contains("<html lang=\"ar\" dir=\"rtl\">", StringComparison.Ordinal));
            Assert.Matches("/confirm/[A-Za-z0-9_-]+", request.TextBody);
        }

        var french = requests.First(m => CampaignHelpers.AddressOf(m) == addresses["fr"]);
        Assert.StartsWith("Veuillez confirmer que vos coordonnées", french.Subject, StringComparison.Ordinal);
        Assert.Contains("confirmées pour la dernière fois le", french.TextBody, StringComparison.Ordinal);
        Assert.Contains("Bonjour Person fr,", french.TextBody, StringComparison.Ordinal);
        var arabic = requests.First(m => CampaignHelpers.AddressOf(m) == addresses["ar"]);
        Assert.StartsWith("يرجى تأكيد أن بياناتك", arabic.Subject, StringComparison.Ordinal);
        Assert.Contains("تأكيد أن بياناتي محدّثة", arabic.TextBody, StringComparison.Ordinal);
    }
}
