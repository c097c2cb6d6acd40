using System.Runtime.Serialization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Cronos;
using FluentValidation;
using Microsoft.Extensions.Options;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.OpenApi;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Campaigns;

/// <summary>A recurring campaign, e.g. a ping every quarter: a schedule and the campaign to create at each occurrence.</summary>
public sealed record CampaignSchedule(
    string Id, string Name, string Cron, CampaignInput Campaign, DateTimeOffset CreatedAt, string CreatedBy,
    DateTimeOffset? LastOccurrence, DateTimeOffset? NextOccurrence);

/// <summary>What the Secretariat sends: a six-field NCRONTAB schedule in UTC (seconds first, as in Functions timers).</summary>
public sealed record CampaignScheduleInput(string? Name, string? Cron, CampaignInput? Campaign) : IApiExample<CampaignScheduleInput>
{
    public static CampaignScheduleInput Example { get; } = new("Quarterly ping", "0 0 9 1 1,4,7,10 *", CampaignInput.Example);
}

public sealed class CampaignScheduleEntity : ITableEntity
{
    public string PartitionKey { get; set; } = StorageKeys.CampaignSchedulePartition;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Name { get; set; } = string.Empty;

    public string Cron { get; set; } = string.Empty;

    public string Campaign { get; set; } = "{}";

    public DateTimeOffset CreatedAt { get; set; }

    public string CreatedBy { get; set; } = string.Empty;

    /// <summary>The last occurrence a campaign was created for; the next is computed from it, so none is skipped or repeated.</summary>
    public DateTimeOffset? LastOccurrence { get; set; }

    [IgnoreDataMember]
    public CampaignInput CampaignValue => JsonSerializer.Deserialize<CampaignInput>(Campaign, ApiJson.Options)!;

    public DateTimeOffset? NextAfter(DateTimeOffset from)
        => CronExpression.Parse(Cron, CronFormat.IncludeSeconds).GetNextOccurrence(from, TimeZoneInfo.Utc);

    public CampaignSchedule ToModel() => new(
        RowKey, Name, Cron, CampaignValue, CreatedAt, CreatedBy, LastOccurrence, NextAfter(LastOccurrence ?? CreatedAt));
}

public sealed class CampaignScheduleInputValidator : AbstractValidator<CampaignScheduleInput>
{
    public CampaignScheduleInputValidator(IValidator<CampaignInput> campaign, IOptions<CampaignOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var minimum = options.Value.MinimumScheduleInterval;
        RuleLevelCascadeMode = CascadeMode.Stop;
        RuleFor(x => x.Name).NotEmpty().WithMessage("Required, e.g. \"Quarterly ping\".").MaximumLength(200);
        RuleFor(x => x.Cron).NotEmpty().WithMessage("Required: six NCRONTAB fields in UTC, e.g. \"0 0 9 1 1,4,7,10 *\" (09:00 on the first day of each quarter).")
            .Must(BeCron).WithMessage("Not a six-field NCRONTAB expression (second minute hour day month weekday).")
            .Must(cron => !HasGapBelow(cron!, minimum, time.GetUtcNow()))
            .WithMessage($"Occurrences must be at least {minimum} apart (Campaigns:MinimumScheduleInterval); every campaign pings everyone in its scope.");
        RuleFor(x => x.Campaign).NotNull().WithMessage("Required: the campaign to create each time (name, scope, responseWindow, ...).")
            .SetValidator(campaign!);
        RuleFor(x => x.Campaign!.StartAt).Null().When(x => x.Campaign is not null).WithMessage("Leave startAt out: the schedule says when.")
            .OverridePropertyName("campaign.startAt");
    }

    /// <summary>
    /// Whether two consecutive occurrences within the coming year are closer than <paramref name="minimum"/>. A year holds
    /// every pattern of the six fields except 29 February; the count bound keeps a far too frequent cron cheap to refuse.
    /// </summary>
    private static bool HasGapBelow(string cron, TimeSpan minimum, DateTimeOffset from)
    {
        var expression = CronExpression.Parse(cron, CronFormat.IncludeSeconds);
        DateTimeOffset? previous = null;
        var checkedCount = 0;
        foreach (var next in expression.GetOccurrences(from, from.AddYears(1), TimeZoneInfo.Utc))
        {
            if (next - previous < minimum)
            {
                return true;
            }

            previous = next;
            if (++checkedCount > 100_000)
            {
                return false;
            }
        }

        return false;
    }

    private static bool BeCron(string? cron)
    {
        try
        {
            CronExpression.Parse(cron!, CronFormat.IncludeSeconds);
            return true;
        }
        catch (CronFormatException)
        {
            return false;
        }
    }
}
