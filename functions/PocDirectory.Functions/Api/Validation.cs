using System.Text;
using FluentValidation;

namespace PocDirectory.Functions.Api;

public static class Validation
{
    /// <summary>Runs the validator and throws a <see cref="RequestValidationException"/> naming each failing field as clients spell it.</summary>
    public static void ThrowIfInvalid<T>(this IValidator<T> validator, T input)
    {
        var result = validator.Validate(input);
        if (!result.IsValid)
        {
            throw new RequestValidationException(result.Errors
                .GroupBy(e => ClientFieldName(e.PropertyName))
                .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray()));
        }
    }

    /// <summary>"Phones[0].Number" becomes "phones[0].number", matching the camelCase JSON.</summary>
    public static string ClientFieldName(string propertyName)
    {
        var name = new StringBuilder(propertyName.Length);
        var startOfSegment = true;
        foreach (var c in propertyName)
        {
            name.Append(startOfSegment ? char.ToLowerInvariant(c) : c);
            startOfSegment = c == '.';
        }

        return name.ToString();
    }
}
