namespace PocDirectory.Functions.Exercises;

/// <summary>
/// The exercise markers, the same in every language as exercise traffic conventionally is; the other words of exercise
/// messages are the "exercise.*" keys of Email/Texts/{language}.json.
/// </summary>
public static class ExerciseTexts
{
    /// <summary>The line every exercise message starts and ends with.</summary>
    public const string Marker = "EXERCISE EXERCISE EXERCISE";

    public const string SubjectPrefix = "[EXERCISE]";
}
