using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using PocDirectory.Functions.Api;

namespace PocDirectory.Functions.OpenApi;

/// <summary>
/// The document's <c>components/schemas</c>: one schema per named type (records and enums), exported from the JSON
/// options the API serialises with, each nested named type referenced by <c>$ref</c> so every pointer resolves from
/// the document's root and a client generator gets one class per type.
/// </summary>
internal sealed class OpenApiSchemas
{
    public const string ProblemDetails = "ProblemDetails";

    private readonly JsonSchemaExporterOptions _exporter;
    private readonly HashSet<JsonObject> _optional = [];

    public OpenApiSchemas()
    {
        _exporter = new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (context, node) => context.Path.IsEmpty || !IsNamed(context.TypeInfo) ? node : Hoist(context, node),
        };
        Components[ProblemDetails] = ProblemDetailsSchema();
    }

    public JsonObject Components { get; } = [];

    /// <summary>A reference to the named type's schema, exporting it (and the named types it holds) the first time.</summary>
    public JsonObject Ref(Type type)
    {
        var name = NameOf(type);
        if (!Components.ContainsKey(name))
        {
            Components[name] = new JsonObject(); // taken first, so a type that holds itself ends in a $ref, not a loop
            var schema = ApiJson.Options.GetJsonSchemaAsNode(type, _exporter).AsObject();
            if (type.IsEnum)
            {
                schema.Insert(0, "type", "string");
            }

            Components[name] = schema;
        }

        return RefTo(name);
    }

    /// <summary>The component a <c>$ref</c> (possibly wrapped in a nullable <c>anyOf</c>) points at, or null.</summary>
    public JsonObject? Resolve(JsonNode? schema)
    {
        var reference = schema?["$ref"]?.GetValue<string>() ?? (schema?["anyOf"] as JsonArray)?.Select(s => s?["$ref"]?.GetValue<string>()).FirstOrDefault(r => r is not null);
        return reference is null ? null : Components[reference[(reference.LastIndexOf('/') + 1)..]] as JsonObject;
    }

    public static JsonObject RefTo(string name) => new() { ["$ref"] = $"#/components/schemas/{name}" };

    /// <summary>A named type by reference; any other (a string, a JSON document) inline.</summary>
    public JsonObject For(Type type)
        => IsNamed(ApiJson.Options.GetTypeInfo(type)) ? Ref(type) : ApiJson.Options.GetJsonSchemaAsNode(type, _exporter).AsObject();

    /// <summary>
    /// Drops what the exporter calls required (every constructor parameter) from a request type and the types it holds:
    /// a request needs only what its validator says, and a type without one needs nothing. Once per type, so a
    /// validator's required list added after the first time is kept when the type comes up again.
    /// </summary>
    public void MakeOptional(JsonObject schema)
    {
        if (!_optional.Add(schema))
        {
            return;
        }

        schema.Remove("required");
        foreach (var (_, property) in schema["properties"]?.AsObject() ?? [])
        {
            if ((Resolve(property) ?? Resolve(property?["items"])) is { } nested)
            {
                MakeOptional(nested);
            }
        }
    }

    private static bool IsNamed(JsonTypeInfo info)
        => (Nullable.GetUnderlyingType(info.Type) ?? info.Type).IsEnum
            || (info.Kind == JsonTypeInfoKind.Object && info.Type.Assembly == typeof(OpenApiSchemas).Assembly);

    private JsonObject Hoist(JsonSchemaExporterContext context, JsonNode node)
    {
        var type = Nullable.GetUnderlyingType(context.TypeInfo.Type) ?? context.TypeInfo.Type;
        var reference = Ref(type);

        // The exporter marks null with a "null" type or value; a $ref to an earlier copy carries no mark, so ask the property.
        var nullable = node["type"] is JsonArray types && types.Any(t => t?.GetValue<string>() == "null")
            || node["enum"] is JsonArray values && values.Any(v => v is null)
            || node["$ref"] is not null && (context.PropertyInfo?.IsGetNullable ?? false);
        return nullable ? new JsonObject { ["anyOf"] = new JsonArray(reference, new JsonObject { ["type"] = "null" }) } : reference;
    }

    private static string NameOf(Type type) => type.IsGenericType
        ? type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)] + "Of" + string.Concat(type.GetGenericArguments().Select(NameOf))
        : type.Name;

    /// <summary>RFC 9457 as <see cref="ProblemResults"/> writes it: <c>errors</c> on 400, <c>traceId</c> always.</summary>
    private static JsonObject ProblemDetailsSchema() => (JsonObject)JsonNode.Parse("""
        {
          "type": "object",
          "description": "An RFC 9457 problem. A 400 names each invalid field in errors, with the field spelled as in the JSON body (phones[0].number) or the query parameter or header name.",
          "required": ["type", "title", "status"],
          "properties": {
            "type": { "type": "string", "format": "uri", "description": "The RFC section that defines the status." },
            "title": { "type": "string" },
            "status": { "type": "integer", "minimum": 400, "maximum": 599 },
            "detail": { "type": "string", "description": "What went wrong and what to do, for people." },
            "instance": { "type": "string", "description": "The path of the request." },
            "traceId": { "type": "string", "description": "Quote it when reporting a problem." },
            "errors": {
              "type": "object",
              "description": "Field name to its messages (400 only).",
              "additionalProperties": { "type": "array", "items": { "type": "string" } }
            }
          },
          "examples": [{
            "type": "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1",
            "title": "One or more fields are invalid.",
            "status": 400,
            "detail": "phones[0].number: Not an international number, e.g. +6561234567.",
            "instance": "/api/pocs",
            "traceId": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "errors": { "phones[0].number": ["Not an international number, e.g. +6561234567."] }
          }]
        }
        """)!;
}
