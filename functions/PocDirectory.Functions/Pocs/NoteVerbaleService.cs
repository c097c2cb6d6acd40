using System.Security.Cryptography;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Security;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Pocs;

/// <summary>The scanned document as the download sends it.</summary>
public sealed record NoteVerbaleFile(byte[] Content, string FileName);

/// <summary>
/// Nominations received through official channels (decision 0036): the Secretariat records the note verbale on the POC
/// it entered, with the scanned PDF in Blob Storage; the Secretariat and the participant itself may download it
/// (<see cref="Confidential.NoteVerbale"/>).
/// </summary>
public sealed class NoteVerbaleService(
    PocStore store, BlobServiceClient blobs, IValidator<NoteVerbaleInput> validator, IOptions<NoteVerbaleOptions> options, AuditLog audit, TimeProvider time)
{
    private static readonly byte[] PdfMagic = "%PDF-"u8.ToArray();

    private readonly BlobContainerClient _documents = blobs.GetBlobContainerClient(StorageKeys.NoteVerbaleContainer);

    /// <summary>The largest form accepted: the document and room for the other fields and the multipart framing.</summary>
    public long MaxFormBytes => options.Value.MaxDocumentBytes + (64 * 1024);

    public async Task<Versioned<Poc>> RecordAsync(Caller caller, string id, NoteVerbaleInput input, IFormFile? file, CancellationToken cancellationToken)
    {
        caller.RequireDirectoryAccess();
        var current = await store.FindAsync(id, cancellationToken) ?? throw NotFound(id);
        caller.RequireSecretariat();
        validator.ThrowIfInvalid(input);
        var document = file is null ? null : await ReadPdfAsync(file, cancellationToken);
        if (current.Value.Status == PocStatus.Retired)
        {
            throw new ConflictException("This POC is retired; a note verbale is recorded on an active nomination.");
        }

        var now = time.GetUtcNow();
        var note = new NoteVerbale(input.Reference!.Trim(), input.ParsedDate,
            document is null ? null : new NoteVerbaleDocument(SafeFileName(file!.FileName), document.Length, Convert.ToHexStringLower(SHA256.HashData(document))),
            now, caller.Email);
        var updated = current.Value with { Source = new PocSource(PocSourceKind.NoteVerbale, note, null), UpdatedAt = now, UpdatedBy = caller.Email };

        BlobClient? blob = null;
        if (document is not null)
        {
            await _documents.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            blob = _documents.GetBlobClient(StorageKeys.NoteVerbaleBlob(id, now));
            await blob.UploadAsync(new BinaryData(document), new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/pdf" } }, cancellationToken);
        }

        try
        {
            var etag = await store.ReplaceAsync(current.Value, updated, current.ETag,
                audit.Entry(caller, "Poc.NoteVerbaleRecorded", "Poc", id, current.Value, updated), cancellationToken);
            return new Versioned<Poc>(updated, etag);
        }
        catch when (blob is not null)
        {
            // The POC was not changed (a concurrent edit, storage down): no document is left behind that nothing points at.
            await blob.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            throw;
        }
    }

    public async Task<NoteVerbaleFile> DocumentAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        caller.RequireDirectoryAccess();
        var found = await store.FindAsync(id, cancellationToken) ?? throw NotFound(id);
        var poc = caller.Show(found.Value) ?? throw NotFound(id);
        if (!caller.Sees(poc.Participant, Confidential.NoteVerbale))
        {
            throw new ForbiddenException("A note verbale is shown only to the Secretariat and to the participant that sent it.");
        }

        var note = poc.Source?.NoteVerbale;
        if (note?.Document is null)
        {
            throw new NotFoundException("No scanned note verbale is recorded for this POC.");
        }

        var content = await _documents.GetBlobClient(StorageKeys.NoteVerbaleBlob(id, note.RecordedAt)).DownloadContentAsync(cancellationToken);
        return new NoteVerbaleFile(content.Value.Content.ToArray(), note.Document.FileName);
    }

    /// <summary>PDF only, by its first bytes (a content type is whatever the client says); larger than the setting is 413.</summary>
    private async Task<byte[]> ReadPdfAsync(IFormFile file, CancellationToken cancellationToken)
    {
        if (file.Length > options.Value.MaxDocumentBytes)
        {
            throw new PayloadTooLargeException($"The document is larger than {options.Value.MaxDocumentBytes / (1024 * 1024)} MB.");
        }

        using var buffer = new MemoryStream((int)file.Length);
        await file.CopyToAsync(buffer, cancellationToken);
        var bytes = buffer.ToArray();
        if (!bytes.AsSpan().StartsWith(PdfMagic))
        {
            throw RequestValidationException.For(NoteVerbaleInput.FileField, "The document must be a PDF (a file that starts with %PDF-).");
        }

        return bytes;
    }

    private static string SafeFileName(string name)
    {
        var plain = new string(Path.GetFileName(name ?? string.Empty).Where(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_').ToArray());
        return plain.Length is 0 or > 100 ? "note-verbale.pdf" : plain;
    }

    private static NotFoundException NotFound(string id) => new($"There is no POC with id '{id}'.");
}
