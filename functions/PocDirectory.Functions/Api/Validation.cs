using System.Text;
using System.Text.Json.Nodes;
using FluentValidation;
using FluentValidation.Validators;

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

    /// <summary>
    /// States, for the OpenAPI document, what the rule before it enforces in JSON Schema terms, where FluentValidation
    /// cannot tell (a Must or Custom rule): a format, a pattern clients can check first, a largest count. It never fails.
    /// </summary>
    public static IRuleBuilderOptions<T, TProperty> Documented<T, TProperty>(
        this IRuleBuilder<T, TProperty> rule, string? format = null, string? pattern = null, int? maxItems = null, string? description = null)
    {
        var schema = new JsonObject();
        if (format is not null)
        {
            schema["format"] = format;
        }

        if (pattern is not null)
        {
            schema["pattern"] = pattern;
        }

        if (maxItems is not null)
        {
            schema["maxItems"] = maxItems;
        }

        if (description is not null)
        {
            schema["description"] = description;
        }

        return rule.SetValidator(new DocumentedValidator<T, TProperty>(schema));
    }
}

/// <summary>A rule's meaning in JSON Schema keywords; read by the OpenAPI document, ignored by validation.</summary>
public interface IDocumentedValidator
{
    JsonObject Schema { get; }
}

internal sealed class DocumentedValidator<T, TProperty>(JsonObject schema) : PropertyValidator<T, TProperty>, IDocumentedValidator
{
    public override string Name => "Documented";

    public JsonObject Schema { get; } = schema;

    public override bool IsValid(ValidationContext<T> context, TProperty value) => true;
}
