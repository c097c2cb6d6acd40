using FluentValidation;
using PocDirectory.Functions.Api;

namespace PocDirectory.Functions.Imports;

public sealed class ImportInputValidator : AbstractValidator<ImportInput>
{
    /// <summary>Several hundred POCs: a large regional organisation's whole list (OSCE has 57 participating States).</summary>
    public const int MaxEntries = 500;
    public const int MaxNameLength = 100;

    public ImportInputValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;
        RuleFor(x => x.Directory).NotEmpty().WithMessage("Required: the regional directory the list comes from, e.g. OSCE.").MaximumLength(MaxNameLength);
        RuleFor(x => x.Reference).MaximumLength(MaxNameLength);
        RuleFor(x => x.Entries).Must((input, entries) => (entries is null) != (input.Csv is null))
            .WithMessage("Send the list either as entries (JSON) or as csv (text), not both and not neither.")
            .Must(entries => entries is null || entries.Count is > 0 and <= MaxEntries).WithMessage($"Between 1 and {MaxEntries} entries.")
            .Documented(maxItems: MaxEntries)
            .Must(entries => entries is null || entries.All(e => e is not null)).WithMessage("An entry may not be null.");
        RuleFor(x => x.Csv).Must(csv => csv is null || csv.Length <= ApiHandler.MaxBodyBytes)
            .Documented(description: "The list as CSV text: a header row of exchange column names, then one POC a row (docs/import-format.md).");
    }
}
