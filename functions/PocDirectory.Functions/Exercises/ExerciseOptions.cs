using Microsoft.Extensions.Options;

namespace PocDirectory.Functions.Exercises;

/// <summary>Limits of exercises (section "Exercises").</summary>
public sealed class ExerciseOptions
{
    public const string Section = "Exercises";

    /// <summary>An inject's offset from the start may not go beyond this (the issue fixes 30 days).</summary>
    public static readonly TimeSpan MaximumOffset = TimeSpan.FromDays(30);

    /// <summary>The shortest respondWithin: seconds for demos and tests (the issue's own test uses PT20S), minutes in production.</summary>
    public TimeSpan MinimumRespondWithin { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan MaximumRespondWithin { get; set; } = TimeSpan.FromDays(7);

    public int MaximumInjects { get; set; } = 100;

    public int MaximumMessageLength { get; set; } = 8_000;
}

public sealed class ExerciseOptionsValidator : IValidateOptions<ExerciseOptions>
{
    public ValidateOptionsResult Validate(string? name, ExerciseOptions options)
    {
        var failures = new List<string>();
        if (options.MinimumRespondWithin <= TimeSpan.Zero || options.MinimumRespondWithin > options.MaximumRespondWithin)
        {
            failures.Add("Exercises:MinimumRespondWithin must be positive and not above Exercises:MaximumRespondWithin.");
        }

        if (options.MaximumInjects is < 1 or > 500)
        {
            failures.Add("Exercises:MaximumInjects must be from 1 to 500.");
        }

        if (options.MaximumMessageLength is < 100 or > 100_000)
        {
            failures.Add("Exercises:MaximumMessageLength must be from 100 to 100000.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
