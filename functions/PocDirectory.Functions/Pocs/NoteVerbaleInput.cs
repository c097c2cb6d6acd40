using System.Globalization;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.OpenApi;

namespace PocDirectory.Functions.Pocs;

/// <summary>The fields of the note verbale form (multipart/form-data); the scanned PDF comes as its optional part "file".</summary>
public sealed record NoteVerbaleInput(string? Reference, string? Date) : IApiExample<NoteVerbaleInput>
{
    public const string FileField = "file";

    public static NoteVerbaleInput Example { get; } = new("SGP/NV/2025/017", "2025-02-03");

    public static NoteVerbaleInput From(IFormCollection form)
        => new(form.TryGetValue("reference", out var reference) ? reference.ToString() : null, form.TryGetValue("date", out var date) ? date.ToString() : null);

    public DateOnly ParsedDate => DateOnly.ParseExact(Date!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}

public sealed class NoteVerbaleInputValidator : AbstractValidator<NoteVerbaleInput>
{
    public const int MaxReferenceLength = 100;

    public NoteVerbaleInputValidator(TimeProvider time)
    {
        RuleFor(x => x.Reference).NotEmpty().WithMessage("Required: the note verbale's reference number.").MaximumLength(MaxReferenceLength);
        RuleFor(x => x.Date).NotEmpty().WithMessage("Required: the date of the note verbale, e.g. 2025-02-03.")
            .Must(d => DateOnly.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            .WithMessage("A date as YYYY-MM-DD, e.g. 2025-02-03.").Documented(format: "date")
            .Must(d => !DateOnly.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                || date <= DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime.AddDays(1)))
            .WithMessage("A note verbale cannot be dated in the future.");
    }
}
