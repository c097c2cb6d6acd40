using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Cryptography;
using PocDirectory.TestSupport;

namespace PocDirectory.IntegrationTests;

/// <summary>
/// Issue 19 item 3 through real SMTP (decision 0034): PGP/MIME to a POC with a key, signed by the key at GET /api/pgp-key;
/// a participant that requires encryption; key status; and the bad inputs of the encryption switch.
/// </summary>
[Collection(InMemoryCampaignCollection.Name)]
public sealed partial class PgpDeliveryTests(InMemoryCampaignFixture fixture)
{
    [Fact]
    public async Task Poc_with_a_key_receives_pgp_mime_that_its_private_key_decrypts_with_the_link_inside_signed_by_the_published_key()
    {
        var participant = await fixture.NewParticipantAsync();
        var key = TestPgpKeys.Generate("CERT duty officer <keyed@cert.example>");
        var keyed = $"keyed-{participant.ToLowerInvariant()}@example.org";
        var plain = $"plain-{participant.ToLowerInvariant()}@example.org";
        var (poc, _) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant, fullName: "Keyed Officer")
            .With("emails", new JsonArray(keyed)).With("pgpPublicKey", key.PublicKey));
        await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant, kind: "Diplomatic", fullName: "Plain Officer").With("emails", new JsonArray(plain)));
        Assert.Equal("Valid", poc["pgpKeyStatus"]!.GetValue<string>());

        await CampaignHelpers.StartAsync(fixture.SecretariatClient, new { name = $"PGP of {participant}", scope = new { participants = new[] { participant } }, responseWindow = "PT60S" });
        var messages = await CampaignHelpers.MessagesToAsync(fixture.Smtp, [keyed, plain], 2, TimeSpan.FromSeconds(60));

        using var published = await fixture.Runner.Http.GetAsync("api/pgp-key");
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        Assert.Equal("application/pgp-keys", published.Content.Headers.ContentType?.MediaType);
        var directoryKey = await published.Content.ReadAsStringAsync();
        Assert.StartsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----", directoryKey, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE", directoryKey, StringComparison.Ordinal);
        var fingerprint = TestPgpKeys.Fingerprint(directoryKey);

        var encrypted = messages.Single(m => CampaignHelpers.AddressOf(m) == keyed);
        var body = Assert.IsType<MultipartEncrypted>(encrypted.Body);
        Assert.Equal("application/pgp-encrypted", body.ContentType.Parameters["protocol"]);
        Assert.Equal("application/pgp-encrypted", body[0].ContentType.MimeType);
        Assert.Null(encrypted.TextBody);
        Assert.DoesNotContain("/ack/", encrypted.ToString(), StringComparison.Ordinal);

        var armoured = Encoding.ASCII.GetString(Decoded((MimePart)body[1]));
        var decrypted = TestPgpKeys.Decrypt(armoured, key.SecretKey, directoryKey);
        Assert.True(decrypted.SignatureVerified, "The signature does not verify against GET /api/pgp-key");
        var inner = MimeEntity.Load(new MemoryStream(decrypted.Content));
        var text = ((inner as Multipart)?.OfType<TextPart>().First(p => p.IsPlain) ?? (TextPart)inner).Text;
        var link = AckLink().Match(text);
        Assert.True(link.Success, "No acknowledgement link inside the encrypted part: " + text);
        Assert.Contains(Grouped(fingerprint), text, StringComparison.Ordinal);
        using var acknowledged = await CampaignHelpers.AcknowledgeAsync(fixture.Runner.Http, link.Value);
        Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);

        // The POC without a key gets the ping in the clear, with the same footer naming the directory's key.
        var clear = messages.Single(m => CampaignHelpers.AddressOf(m) == plain);
        Assert.IsNotType<MultipartEncrypted>(clear.Body);
        CampaignHelpers.LinkIn(clear);
        Assert.Contains(Grouped(fingerprint), clear.TextBody, StringComparison.Ordinal);
        Assert.Contains("/api/pgp-key", clear.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Participant_requiring_encryption_sends_no_content_to_its_keyless_POC_and_tells_its_focal_point()
    {
        var participant = await fixture.NewParticipantAsync();
        var focalEmail = await AssignFocalPointAsync(participant);

        using var focal = await fixture.Runner.ClientForAsync(focalEmail);
        var (_, etag) = await GetParticipantAsync(focal, participant);
        using (var set = await focal.SendAsync(EncryptionPut(participant, new JsonObject { ["requireEncryption"] = true }, etag)))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
            Assert.True((await set.ReadJsonAsync())["requireEncryption"]!.GetValue<bool>());
        }

        var keyless = $"keyless-{participant.ToLowerInvariant()}@example.org";
        var keyed = $"keyed-{participant.ToLowerInvariant()}@example.org";
        var key = TestPgpKeys.Generate("Keyed <keyed@cert.example>");
        var (keylessPoc, _) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant, fullName: "Keyless Officer").With("emails", new JsonArray(keyless)));
        await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant, kind: "Diplomatic", fullName: "Keyed Officer")
            .With("emails", new JsonArray(keyed)).With("pgpPublicKey", key.PublicKey));
        Assert.Equal("None", keylessPoc["pgpKeyStatus"]!.GetValue<string>());

        var campaign = await CampaignHelpers.StartAsync(fixture.SecretariatClient, new { name = $"Required of {participant}", scope = new { participants = new[] { participant } }, responseWindow = "PT60S" });
        var id = campaign["id"]!.GetValue<string>();
        var messages = await CampaignHelpers.MessagesToAsync(fixture.Smtp, [keyed, focalEmail], 2, TimeSpan.FromSeconds(60));

        var notice = messages.Single(m => CampaignHelpers.AddressOf(m) == focalEmail);
        Assert.Contains("Keyless Officer", notice.Subject, StringComparison.Ordinal);
        Assert.Contains($"Required of {participant}", notice.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("/ack/", notice.TextBody, StringComparison.Ordinal);
        Assert.IsType<MultipartEncrypted>(messages.Single(m => CampaignHelpers.AddressOf(m) == keyed).Body);

        JsonArray undeliverable = [];
        await Wait.UntilAsync(async () =>
        {
            undeliverable = (await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/campaigns/{id}/results?outcome=Undeliverable"))!["items"]!.AsArray();
            return undeliverable.Count == 1;
        }, TimeSpan.FromSeconds(30), () => "The keyless POC was not recorded as undeliverable");
        Assert.Equal(keylessPoc["id"]!.GetValue<string>(), undeliverable[0]!["pocId"]!.GetValue<string>());
        Assert.Contains("requires encryption", undeliverable[0]!["undeliverableReason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Smtp.Messages, m => CampaignHelpers.AddressOf(m) == keyless);
    }

    [Fact]
    public async Task Key_status_is_valid_expiring_soon_or_none_from_the_keys_expiry()
    {
        var participant = await fixture.NewParticipantAsync();
        var soon = TestPgpKeys.Generate("Soon <soon@cert.example>", DateTimeOffset.UtcNow.AddDays(-355), TimeSpan.FromDays(365));
        var later = TestPgpKeys.Generate("Later <later@cert.example>", DateTimeOffset.UtcNow.AddDays(-1), TimeSpan.FromDays(365));
        var (expiring, _) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant, fullName: "Soon").With("pgpPublicKey", soon.PublicKey));
        var (valid, _) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant, kind: "Diplomatic", fullName: "Later").With("pgpPublicKey", later.PublicKey));

        Assert.Equal("ExpiringSoon", expiring["pgpKeyStatus"]!.GetValue<string>());
        Assert.Equal("Valid", valid["pgpKeyStatus"]!.GetValue<string>());
        var (read, _) = await PocBodies.GetAsync(fixture.SecretariatClient, expiring["id"]!.GetValue<string>());
        Assert.Equal("ExpiringSoon", read["pgpKeyStatus"]!.GetValue<string>());
    }

    [Fact]
    public async Task Key_expiring_within_30_days_is_told_to_the_focal_point_once_and_a_valid_key_is_not()
    {
        var participant = await fixture.NewParticipantAsync();
        var focalEmail = await AssignFocalPointAsync(participant);
        var soon = TestPgpKeys.Generate("Soon <soon@cert.example>", DateTimeOffset.UtcNow.AddDays(-355), TimeSpan.FromDays(365));
        var later = TestPgpKeys.Generate("Later <later@cert.example>", DateTimeOffset.UtcNow.AddDays(-1), TimeSpan.FromDays(365));
        var (expiring, _) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant, fullName: "Soon Expiring").With("pgpPublicKey", soon.PublicKey));
        await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant, kind: "Diplomatic", fullName: "Later Expiring").With("pgpPublicKey", later.PublicKey));

        var notice = (await CampaignHelpers.MessagesToAsync(fixture.Smtp, [focalEmail], 1, TimeSpan.FromSeconds(60))).Single();
        Assert.Contains("Soon Expiring", notice.Subject, StringComparison.Ordinal);
        Assert.Contains(expiring["pgpFingerprint"]!.GetValue<string>(), notice.TextBody, StringComparison.Ordinal);
        Assert.Contains(DateTimeOffset.UtcNow.AddDays(10).ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture), notice.TextBody, StringComparison.Ordinal);

        // A later look has run once another participant's focal point is told of a key created after the first notice:
        // by then a second notice to the first focal point would have been sent too.
        var other = await fixture.NewParticipantAsync();
        var otherFocal = await AssignFocalPointAsync(other);
        var otherKey = TestPgpKeys.Generate("Other <other@cert.example>", DateTimeOffset.UtcNow.AddDays(-350), TimeSpan.FromDays(365));
        await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(other, fullName: "Other Expiring").With("pgpPublicKey", otherKey.PublicKey));
        await CampaignHelpers.MessagesToAsync(fixture.Smtp, [otherFocal], 1, TimeSpan.FromSeconds(60));

        var toFirst = fixture.Smtp.Messages.Where(m => CampaignHelpers.AddressOf(m) == focalEmail).ToList();
        Assert.Single(toFirst);
        Assert.DoesNotContain(fixture.Smtp.Messages, m => (m.Subject ?? string.Empty).Contains("Later Expiring", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bad_inputs_get_problem_details_and_change_nothing()
    {
        var participant = await fixture.NewParticipantAsync();
        using var notAKey = await fixture.SecretariatClient.PostAsJsonAsync("api/pocs", PocBodies.Valid(participant).With("pgpPublicKey", "-----BEGIN PGP PUBLIC KEY BLOCK-----\nnot a key\n-----END PGP PUBLIC KEY BLOCK-----"));
        await PocBodies.AssertProblemAsync(notAKey, HttpStatusCode.BadRequest, "pgpPublicKey");
        Assert.Empty(await PocBodies.AllItemsAsync(fixture.SecretariatClient, $"api/pocs?participant={participant}"));

        var other = await fixture.NewParticipantAsync();
        using var otherFocal = await fixture.UserWithRoleAsync("FocalPoint", other);
        var (_, etag) = await GetParticipantAsync(fixture.SecretariatClient, participant);
        var on = new JsonObject { ["requireEncryption"] = true };

        using (var withoutIfMatch = await fixture.SecretariatClient.SendAsync(EncryptionPut(participant, on, null)))
        {
            await PocBodies.AssertProblemAsync(withoutIfMatch, HttpStatusCode.PreconditionRequired);
        }

        using (var byAnotherFocalPoint = await otherFocal.SendAsync(EncryptionPut(participant, on, etag)))
        {
            await PocBodies.AssertProblemAsync(byAnotherFocalPoint, HttpStatusCode.Forbidden);
        }

        using (var missingValue = await fixture.SecretariatClient.SendAsync(EncryptionPut(participant, new JsonObject { ["requireEncryption"] = null }, etag)))
        {
            await PocBodies.AssertProblemAsync(missingValue, HttpStatusCode.BadRequest, "requireEncryption");
        }

        var (unchanged, sameTag) = await GetParticipantAsync(fixture.SecretariatClient, participant);
        Assert.False(unchanged["requireEncryption"]!.GetValue<bool>());
        Assert.Equal(etag, sameTag);

        using (var first = await fixture.SecretariatClient.SendAsync(EncryptionPut(participant, on, etag)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using (var stale = await fixture.SecretariatClient.SendAsync(EncryptionPut(participant, new JsonObject { ["requireEncryption"] = false }, etag)))
        {
            await PocBodies.AssertProblemAsync(stale, HttpStatusCode.PreconditionFailed);
        }

        Assert.True((await GetParticipantAsync(fixture.SecretariatClient, participant)).Participant["requireEncryption"]!.GetValue<bool>());
        Assert.True((await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/participants/{participant}"))!["requireEncryption"]!.GetValue<bool>());
    }

    private static async Task<(JsonObject Participant, string ETag)> GetParticipantAsync(HttpClient client, string code)
    {
        using var response = await client.GetAsync($"api/participants/{code}/encryption");
        response.EnsureSuccessStatusCode();
        return (await response.ReadJsonAsync(), response.Headers.ETag!.ToString());
    }

    private static HttpRequestMessage EncryptionPut(string code, JsonNode body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"api/participants/{code}/encryption") { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return request;
    }

    private static byte[] Decoded(MimePart part)
    {
        using var bytes = new MemoryStream();
        part.Content!.DecodeTo(bytes);
        return bytes.ToArray();
    }

    private static string Grouped(string fingerprint) => string.Join(' ', Enumerable.Range(0, fingerprint.Length / 4).Select(i => fingerprint.Substring(i * 4, 4)));

    [GeneratedRegex(@"https?://[^\s/]+/ack/[A-Za-z0-9_\-]+")]
    private static partial Regex AckLink();

    private async Task<string> AssignFocalPointAsync(string participant)
    {
        var focalEmail = $"focal-{participant.ToLowerInvariant()}@example.org";
        using var assigned = await fixture.SecretariatClient.PostAsJsonAsync("api/role-assignments", new { email = focalEmail, role = "FocalPoint", participant });
        assigned.EnsureSuccessStatusCode();
        return focalEmail;
    }
}
