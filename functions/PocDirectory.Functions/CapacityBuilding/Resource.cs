using Azure;
using Azure.Data.Tables;
using FluentValidation;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.OpenApi;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Pocs;

namespace PocDirectory.Functions.CapacityBuilding;

public enum ResourceKind
{
    Tutorial,
    Guide,
    Recording,
}

/// <summary>An onboarding resource the Secretariat keeps for POCs (decision 0037): the POC 101 tutorial, a guide, a recording.</summary>
public sealed record Resource(string Id, string Title, string Link, string Language, ResourceKind Kind, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record ResourceInput(string? Title, string? Link, string? Language, ResourceKind? Kind) : IApiExample<ResourceInput>
{
    public static ResourceInput Example { get; } = new("POC 101: what a point of contact does", "https://learning.example.org/poc-101", "en", ResourceKind.Tutorial);
}

public sealed class ResourceInputValidator : AbstractValidator<ResourceInput>
{
    public const int MaxTitleLength = 200;
    public const int MaxLinkLength = 500;

    public ResourceInputValidator()
    {
        RuleFor(x => x.Title).NotEmpty().WithMessage("Required.").MaximumLength(MaxTitleLength);
        RuleFor(x => x.Link).NotEmpty().WithMessage("Required: an https link.").MaximumLength(MaxLinkLength)
            .Must(l => Uri.TryCreate(l, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && !string.IsNullOrEmpty(uri.Host))
            .WithMessage("An https link, e.g. https://learning.example.org/poc-101.").Documented(format: "uri", pattern: "^https://");
        RuleFor(x => x.Language).NotEmpty().WithMessage("Required: a BCP 47 language tag, e.g. fr.").MaximumLength(35)
            .Must(l => LanguageTags.TryNormalise(l, out _, out _)).WithMessage("Not a BCP 47 language tag, e.g. fr or zh-Hans.");
        RuleFor(x => x.Kind).NotNull().WithMessage("Required: Tutorial, Guide or Recording.");
    }
}

/// <summary>That a POC completed a resource, recorded by the POC itself or its focal point.</summary>
public sealed record TrainingCompletion(string PocId, string ResourceId, DateTimeOffset CompletedAt, string? CompletedBy);

public sealed record TrainingInput(string? ResourceId) : IApiExample<TrainingInput>
{
    public static TrainingInput Example { get; } = new("unknown-example-id");
}

public sealed class TrainingInputValidator : AbstractValidator<TrainingInput>
{
    public TrainingInputValidator()
        => RuleFor(x => x.ResourceId).NotEmpty().WithMessage("Required: the id of the resource completed.").MaximumLength(64);
}

/// <summary>A resource with whether the POC completed it, for the POC's home.</summary>
public sealed record ResourceProgress(Resource Resource, DateTimeOffset? CompletedAt);

/// <summary>Active POCs and how many of them completed at least one resource, in one region (null: participants without one).</summary>
public sealed record TrainingShare(Region? Region, int Pocs, int Trained, double Share);

public sealed record TrainingCoverage(TrainingShare Total, IReadOnlyList<TrainingShare> Regions);

/// <summary>A resource's row: partition "resource" of the Directory table.</summary>
public sealed class ResourceEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Title { get; set; } = string.Empty;

    public string Link { get; set; } = string.Empty;

    public string Language { get; set; } = string.Empty;

    public string Kind { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public Resource ToModel() => new(RowKey, Title, Link, Language, Enum.Parse<ResourceKind>(Kind), CreatedAt, UpdatedAt);
}

/// <summary>A completion's row, "training|{pocId}|{resourceId}" in the POC's participant partition.</summary>
public sealed class TrainingEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string PocId { get; set; } = string.Empty;

    public string ResourceId { get; set; } = string.Empty;

    public DateTimeOffset CompletedAt { get; set; }

    public string CompletedBy { get; set; } = string.Empty;

    public TrainingCompletion ToModel() => new(PocId, ResourceId, CompletedAt, CompletedBy);
}
