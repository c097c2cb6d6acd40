using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.OpenApi;

namespace PocDirectory.Functions.Pocs;

[ApiTag("POCs", "Points of contact: nominate, read, update, confirm that details are current, retire.")]
public sealed class NoteVerbaleFunctions(ApiHandler api, NoteVerbaleService notes)
{
    [Function(nameof(RecordNoteVerbale))]
    [ApiDoc("Records the note verbale a POC was nominated by (Secretariat): reference, date and optionally the scanned PDF as the part \"file\".",
        Request = typeof(NoteVerbaleInput), Form = NoteVerbaleInput.FileField, Response = typeof(Poc), ETag = true)]
    [ApiProblem(409, "The POC is retired.")]
    public Task<IActionResult> RecordNoteVerbale([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "pocs/{id}/note-verbale")] HttpRequest req, string id)
        => api.RunFormAsync(req, notes.MaxFormBytes, async (caller, form) =>
        {
            var recorded = await notes.RecordAsync(caller, id, NoteVerbaleInput.From(form), form.Files.GetFile(NoteVerbaleInput.FileField), req.HttpContext.RequestAborted);
            return ApiResult.Ok(recorded.Value).WithETag(recorded.ETag);
        });

    [Function(nameof(GetNoteVerbaleDocument))]
    [ApiDoc("The scanned note verbale of a POC (Secretariat and the participant itself).", BinaryContentType = "application/pdf")]
    public Task<IActionResult> GetNoteVerbaleDocument([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "pocs/{id}/note-verbale/document")] HttpRequest req, string id)
        => api.RunAsync(req, async caller =>
        {
            var file = await notes.DocumentAsync(caller, id, req.HttpContext.RequestAborted);
            return ApiResult.File(file.Content, "application/pdf").WithHeader("Content-Disposition", $"attachment; filename=\"{file.FileName}\"");
        });
}
