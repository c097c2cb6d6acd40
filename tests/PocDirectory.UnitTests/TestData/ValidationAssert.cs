using FluentValidation;
using PocDirectory.Functions.Api;

namespace PocDirectory.UnitTests.TestData;

/// <summary>What a validator answers, as the API would: field names as clients spell them, with their messages.</summary>
public static class ValidationAssert
{
    public static IReadOnlyDictionary<string, string[]> Errors<T>(IValidator<T> validator, T input)
        => Assert.Throws<RequestValidationException>(() => validator.ThrowIfInvalid(input)).Errors;

    public static void Valid<T>(IValidator<T> validator, T input)
    {
        var result = validator.Validate(input);
        Assert.True(result.IsValid, string.Join("; ", result.Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}")));
    }

    /// <summary>Exactly one field fails, with exactly this message.</summary>
    public static void OnlyFieldFails<T>(IValidator<T> validator, T input, string field, string message)
    {
        var errors = Errors(validator, input);
        Assert.Equal([field], errors.Keys);
        Assert.Equal([message], errors[field]);
    }
}
