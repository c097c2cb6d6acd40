using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using PocDirectory.Functions.Api;

namespace PocDirectory.Functions.OpenApi;

/// <summary>
/// Builds the OpenAPI 3.1 document from the functions themselves: routes and methods from their HTTP triggers,
/// descriptions from <see cref="ApiDocAttribute"/>, schemas from the same JSON options the API serialises with.
/// </summary>
public static partial class OpenApiDocument
{
    private static readonly Lazy<string> Document = new(() => Build().ToJsonString());

    public static string Json => Document.Value;

    public static JsonObject Build()
    {
        var schemas = new JsonObject();
        var paths = new JsonObject();
        var functions = typeof(OpenApiDocument).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Select(m => (Method: m, Function: m.GetCustomAttribute<FunctionAttribute>(), Doc: m.GetCustomAttribute<ApiDocAttribute>(),
                Trigger: m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)))
            .Where(f => f.Function is not null && f.Trigger is not null && f.Doc is not null)
            .OrderBy(f => f.Trigger!.Route, StringComparer.Ordinal);

        foreach (var (_, function, doc, trigger) in functions)
        {
            var path = "/api/" + trigger!.Route;
            var item = paths[path] as JsonObject ?? [];
            paths[path] = item;
            foreach (var method in trigger.Methods ?? [])
            {
                item[method.ToLowerInvariant()] = Operation(function!.Name!, doc!, path, schemas);
            }
        }

        return new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = new JsonObject
            {
                ["title"] = "Global POC Directory API",
                ["version"] = "1",
                ["description"] = "Points of contact for ICT security: participants, their POCs, roles, audit and ping campaigns. Errors are RFC 9457 ProblemDetails.",
            },
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = schemas,
                ["securitySchemes"] = new JsonObject { ["bearer"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer", ["bearerFormat"] = "JWT" } },
            },
            ["security"] = new JsonArray(new JsonObject { ["bearer"] = new JsonArray() }),
        };
    }

    private static JsonObject Operation(string name, ApiDocAttribute doc, string path, JsonObject schemas)
    {
        var parameters = new JsonArray();
        foreach (Match match in RouteParameter().Matches(path))
        {
            parameters.Add(Parameter(match.Groups[1].Value, "path", required: true));
        }

        foreach (var query in (doc.Query ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            parameters.Add(Parameter(query, "query", required: false));
        }

        if (doc.IfMatch)
        {
            parameters.Add(Parameter("If-Match", "header", required: true));
        }

        if (doc.Idempotent)
        {
            parameters.Add(Parameter("Idempotency-Key", "header", required: false));
        }

        var responses = new JsonObject
        {
            [doc.SuccessStatus.ToString(System.Globalization.CultureInfo.InvariantCulture)] = doc.Response is null
                ? new JsonObject { ["description"] = "Success" }
                : new JsonObject { ["description"] = "Success", ["content"] = Content(doc.Response, schemas) },
            ["default"] = new JsonObject { ["description"] = "A problem (RFC 9457)", ["content"] = new JsonObject { ["application/problem+json"] = new JsonObject() } },
        };
        var operation = new JsonObject
        {
            ["operationId"] = name,
            ["summary"] = doc.Summary,
            ["parameters"] = parameters,
            ["responses"] = responses,
        };
        if (doc.Request is not null)
        {
            operation["requestBody"] = new JsonObject { ["required"] = true, ["content"] = Content(doc.Request, schemas) };
        }

        if (doc.Anonymous)
        {
            operation["security"] = new JsonArray();
        }

        return operation;
    }

    private static JsonObject Content(Type type, JsonObject schemas)
    {
        var name = SchemaName(type);
        schemas[name] ??= ApiJson.Options.GetJsonSchemaAsNode(type);
        return new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = $"#/components/schemas/{name}" } } };
    }

    private static string SchemaName(Type type) => type.IsGenericType
        ? type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)] + "Of" + string.Concat(type.GetGenericArguments().Select(SchemaName))
        : type.Name;

    private static JsonObject Parameter(string name, string location, bool required)
        => new() { ["name"] = name, ["in"] = location, ["required"] = required, ["schema"] = new JsonObject { ["type"] = "string" } };

    [GeneratedRegex("{([^}:?]+)[^}]*}")]
    private static partial Regex RouteParameter();
}
