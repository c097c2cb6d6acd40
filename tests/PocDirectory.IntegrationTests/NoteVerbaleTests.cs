using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using PocDirectory.Functions.Storage;

namespace PocDirectory.IntegrationTests;

/// <summary>Issue 18, item 3 (decision 0036): a nomination received by note verbale, its scanned PDF, and the POC's source.</summary>
[Collection(DirectoryCollection.Name)]
public sealed class NoteVerbaleTests(DirectoryFixture fixture)
{
    /// <summary>A small file that starts like a PDF; the check is on these first bytes.</summary>
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    public static HttpRequestMessage Form(string pocId, string? reference, string? date, byte[]? file, string fileName = "nv.pdf", string contentType = "application/pdf")
    {
        var form = new MultipartFormDataContent();
        if (reference is not null)
        {
            form.Add(new StringContent(reference), "reference");
        }

        if (date is not null)
        {
            form.Add(new StringContent(date), "date");
        }

        if (file is not null)
        {
            var part = new ByteArrayContent(file);
            part.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            form.Add(part, "file", fileName);
        }

        return new HttpRequestMessage(HttpMethod.Post, $"api/pocs/{pocId}/note-verbale") { Content = form };
    }

    [Fact]
    public async Task NoteVerbale_WithPdf_IsTheSource_Audited_AndTheDocumentIsForTheSecretariatAndTheParticipantOnly()
    {
        var x = await fixture.NewParticipantAsync();
        var y = await fixture.NewParticipantAsync();
        var (poc, _) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(x));
        var id = poc["id"]!.GetValue<string>();
        Assert.Equal("Portal", poc["source"]!["kind"]!.GetValue<string>());

        using var request = Form(id, "NV/2025/017", "2025-02-03", Pdf, "note verbale 017.pdf");
        using var recorded = await fixture.SecretariatClient.SendAsync(request);
        Assert.True(recorded.StatusCode == HttpStatusCode.OK, await recorded.Content.ReadAsStringAsync());
        Assert.NotNull(recorded.Headers.ETag);
        var source = (await recorded.ReadJsonAsync())["source"]!;
        Assert.Equal("NoteVerbale", source["kind"]!.GetValue<string>());
        Assert.Equal("NV/2025/017", source["noteVerbale"]!["reference"]!.GetValue<string>());
        Assert.Equal("2025-02-03", source["noteVerbale"]!["date"]!.GetValue<string>());
        Assert.Equal(Pdf.Length, source["noteVerbale"]!["document"]!["bytes"]!.GetValue<long>());
        Assert.Equal("noteverbale017.pdf", source["noteVerbale"]!["document"]!["fileName"]!.GetValue<string>());
        Assert.Null(source["import"]);

        var audit = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/audit?entityType=Poc&entityId={id}");
        Assert.Contains(audit!["items"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "Poc.NoteVerbaleRecorded");

        using (var download = await fixture.SecretariatClient.GetAsync($"api/pocs/{id}/note-verbale/document"))
        {
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
            Assert.Equal(Pdf, await download.Content.ReadAsByteArrayAsync());
        }

        using var ownFocalPoint = await fixture.UserWithRoleAsync("FocalPoint", x);
        using var otherFocalPoint = await fixture.UserWithRoleAsync("FocalPoint", y);
        using (var own = await ownFocalPoint.GetAsync($"api/pocs/{id}/note-verbale/document"))
        {
            Assert.Equal(Pdf, await own.Content.ReadAsByteArrayAsync());
        }

        using (var other = await otherFocalPoint.GetAsync($"api/pocs/{id}/note-verbale/document"))
        {
            await PocBodies.AssertProblemAsync(other, HttpStatusCode.Forbidden);
        }

        // Another participant sees that the POC came by note verbale, not the letter.
        var seen = (await PocBodies.GetAsync(otherFocalPoint, id)).Poc["source"]!;
        Assert.Equal("NoteVerbale", seen["kind"]!.GetValue<string>());
        Assert.Null(seen["noteVerbale"]);
    }

    [Fact]
    public async Task NoteVerbale_WithoutDocument_IsRecorded_AndTheDocumentIsNotFound()
    {
        var x = await fixture.NewParticipantAsync();
        var (poc, _) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(x));
        var id = poc["id"]!.GetValue<string>();
        using var request = Form(id, "NV-9", "2024-05-09", null);
        using var recorded = await fixture.SecretariatClient.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
        Assert.Null((await recorded.ReadJsonAsync())["source"]!["noteVerbale"]!["document"]);
        using var download = await fixture.SecretariatClient.GetAsync($"api/pocs/{id}/note-verbale/document");
        await PocBodies.AssertProblemAsync(download, HttpStatusCode.NotFound);
    }

    public enum BadCase
    {
        NotAPdf,
        TooLarge,
        NoReference,
        FutureDate,
        UnknownPoc,
        OtherParticipantsFocalPoint,
        OwnFocalPoint,
        Json,
    }

    [Theory]
    [InlineData(BadCase.NotAPdf, HttpStatusCode.BadRequest, "file")]
    [InlineData(BadCase.TooLarge, HttpStatusCode.RequestEntityTooLarge, null)]
    [InlineData(BadCase.NoReference, HttpStatusCode.BadRequest, "reference")]
    [InlineData(BadCase.FutureDate, HttpStatusCode.BadRequest, "date")]
    [InlineData(BadCase.UnknownPoc, HttpStatusCode.NotFound, null)]
    [InlineData(BadCase.OtherParticipantsFocalPoint, HttpStatusCode.Forbidden, null)]
    [InlineData(BadCase.OwnFocalPoint, HttpStatusCode.Forbidden, null)]
    [InlineData(BadCase.Json, HttpStatusCode.UnsupportedMediaType, null)]
    public async Task NoteVerbale_BadInput_IsAProblem_AndNothingIsStored_NoBlobEither(BadCase bad, HttpStatusCode status, string? field)
    {
        var x = await fixture.NewParticipantAsync();
        var y = await fixture.NewParticipantAsync();
        var (poc, etag) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(x));
        var id = poc["id"]!.GetValue<string>();
        var target = bad == BadCase.UnknownPoc ? $"{x}-00000000000000000000000000" : id;
        var tooLarge = new byte[(5 * 1024 * 1024) + 1];
        Pdf.CopyTo(tooLarge, 0);
        using var request = bad switch
        {
            BadCase.NotAPdf => Form(target, "NV-1", "2025-01-01", Encoding.ASCII.GetBytes("PK\u0003\u0004 a zip, named as a pdf"), "nv.pdf", "application/pdf"),
            BadCase.TooLarge => Form(target, "NV-1", "2025-01-01", tooLarge),
            BadCase.NoReference => Form(target, null, "2025-01-01", Pdf),
            BadCase.FutureDate => Form(target, "NV-1", DateTime.UtcNow.AddDays(3).ToString("yyyy-MM-dd"), Pdf),
            BadCase.Json => new HttpRequestMessage(HttpMethod.Post, $"api/pocs/{target}/note-verbale") { Content = JsonContent.Create(new { reference = "NV-1", date = "2025-01-01" }) },
            _ => Form(target, "NV-1", "2025-01-01", Pdf),
        };
        using var client = bad switch
        {
            BadCase.OtherParticipantsFocalPoint => await fixture.UserWithRoleAsync("FocalPoint", y),
            BadCase.OwnFocalPoint => await fixture.UserWithRoleAsync("FocalPoint", x),
            _ => null,
        };
        using var refused = await (client ?? fixture.SecretariatClient).SendAsync(request);
        await PocBodies.AssertProblemAsync(refused, status, field);

        var (after, afterETag) = await PocBodies.GetAsync(fixture.SecretariatClient, id);
        Assert.Equal("Portal", after["source"]!["kind"]!.GetValue<string>());
        Assert.Equal(etag, afterETag);
        Assert.Empty(await BlobsOfAsync(id));
    }

    private async Task<List<string>> BlobsOfAsync(string pocId)
    {
        var container = new BlobServiceClient(fixture.Azurite.ConnectionString, new BlobClientOptions(BlobClientOptions.ServiceVersion.V2026_06_06))
            .GetBlobContainerClient(StorageKeys.NoteVerbaleContainer);
        var names = new List<string>();
        if (!await container.ExistsAsync())
        {
            return names;
        }

        await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, pocId + "/", CancellationToken.None))
        {
            names.Add(blob.Name);
        }

        return names;
    }
}
