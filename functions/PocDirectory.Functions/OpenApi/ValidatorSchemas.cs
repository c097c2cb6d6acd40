using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using FluentValidation.Internal;
using FluentValidation.Validators;
using PocDirectory.Functions.Api;

namespace PocDirectory.Functions.OpenApi;

/// <summary>
/// Writes what a FluentValidation validator enforces into the schema of the type it validates: required and non-null
/// fields, lengths, patterns, constants, ranges, and the formats and limits that <see cref="Validation.Documented"/>
/// states beside rules FluentValidation cannot read (Must, Custom). Nested validators describe their own types.
/// Rules under a condition (When) hold only sometimes, so they are left to the description and the example.
/// </summary>
internal sealed class ValidatorSchemas(OpenApiSchemas schemas)
{
    private readonly HashSet<JsonObject> _described = [];

    public void Describe(JsonObject schema, IValidator validator)
    {
        if (!_described.Add(schema))
        {
            return;
        }

        var required = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var rule in Flatten(validator.CreateDescriptor().Rules))
        {
            if (rule.PropertyName is not { } property || property.Contains('.', StringComparison.Ordinal)
                || schema["properties"]?[JsonName(property)] is not JsonObject)
            {
                continue;
            }

            var name = JsonName(property);
            var isCollectionRule = rule.GetType().GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICollectionRule<,>));
            // A format or pattern holds whenever the value is there, so a condition does not matter to Documented.
            var conditional = rule.HasCondition || rule.HasAsyncCondition;
            foreach (var component in rule.Components.Where(c => c.Validator is IDocumentedValidator || !(conditional || c.HasCondition || c.HasAsyncCondition)))
            {
                var properties = schema["properties"]!.AsObject();
                if (isCollectionRule)
                {
                    // A rule for each item says nothing about whether the list itself must be there.
                    properties[name]!["items"] = Apply(properties[name]!["items"]!.AsObject(), component.Validator, () => { });
                }
                else
                {
                    properties[name] = Apply(properties[name]!.AsObject(), component.Validator, () => required.Add(name));
                }
            }
        }

        if (required.Count > 0)
        {
            schema["required"] = new JsonArray([.. required.Select(r => JsonValue.Create(r))]);
        }
    }

    /// <summary>The property's schema with the rule applied; a nullable reference made non-null becomes the bare reference.</summary>
    private JsonObject Apply(JsonObject property, IPropertyValidator validator, Action markRequired)
    {
        switch (validator)
        {
            case INotNullValidator:
                markRequired();
                return NonNull(property);
            case INotEmptyValidator:
                markRequired();
                property = NonNull(property);
                SetMinimum(property, 1);
                return property;
            case ILengthValidator length:
                if (length.Min > 0)
                {
                    property["minLength"] = length.Min;
                }

                if (length.Max is > 0 and < int.MaxValue)
                {
                    property["maxLength"] = length.Max;
                }

                return property;
            case IRegularExpressionValidator regex:
                property["pattern"] = regex.Expression;
                return property;
            case IEmailValidator:
                property["format"] = "email";
                return property;
            case IComparisonValidator { Comparison: Comparison.Equal, ValueToCompare: { } value }:
                property["const"] = JsonSerializer.SerializeToNode(value, ApiJson.Options);
                return property;
            case IBetweenValidator { From: { } from, To: { } to }:
                property["minimum"] = JsonSerializer.SerializeToNode(from, ApiJson.Options);
                property["maximum"] = JsonSerializer.SerializeToNode(to, ApiJson.Options);
                return property;
            case IDocumentedValidator documented:
                foreach (var (keyword, value) in documented.Schema)
                {
                    property[keyword] = value?.DeepClone();
                }

                return property;
            case IChildValidatorAdaptor child when schemas.Resolve(property) is { } component && ChildValidator(child) is { } nested:
                Describe(component, nested);
                return property;
            default:
                return property;
        }
    }

    private static IEnumerable<IValidationRule> Flatten(IEnumerable<IValidationRule> rules)
        => rules.SelectMany(r => Flatten(r.DependentRules ?? []).Prepend(r));

    /// <summary>A nested validator given as an instance (SetValidator(v), ChildRules) is found without an instance to validate.</summary>
    private static IValidator? ChildValidator(IChildValidatorAdaptor adaptor)
    {
        var validated = adaptor.GetType().GetGenericArguments()[0];
        var context = typeof(ValidationContext<>).MakeGenericType(validated).GetConstructor([validated])!.Invoke([null]);
        return adaptor.GetType().GetMethod("GetValidator")?.Invoke(adaptor, [context, null]) as IValidator;
    }

    private static string JsonName(string property) => ApiJson.Options.PropertyNamingPolicy!.ConvertName(property);

    private static JsonObject NonNull(JsonObject property)
    {
        if (property["anyOf"] is JsonArray { Count: 2 } choices && choices.FirstOrDefault(c => c?["$ref"] is not null) is JsonObject reference)
        {
            return (JsonObject)reference.DeepClone();
        }

        if (property["type"] is JsonArray types)
        {
            var kept = types.Select(t => t!.GetValue<string>()).Where(t => t != "null").ToArray();
            property["type"] = kept.Length == 1 ? kept[0] : new JsonArray([.. kept.Select(k => JsonValue.Create(k))]);
        }

        if (property["enum"] is JsonArray values && values.Any(v => v is null))
        {
            property["enum"] = new JsonArray([.. values.Where(v => v is not null).Select(v => v!.DeepClone())]);
        }

        return property;
    }

    private static void SetMinimum(JsonObject property, int minimum)
    {
        var type = property["type"]?.ToJsonString() ?? string.Empty;
        if (type.Contains("array", StringComparison.Ordinal))
        {
            property["minItems"] = minimum;
        }
        else if (type.Contains("string", StringComparison.Ordinal))
        {
            property["minLength"] = minimum;
        }
    }
}
