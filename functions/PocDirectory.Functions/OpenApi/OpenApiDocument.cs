using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using PocDirectory.Functions.Api;

namespace PocDirectory.Functions.OpenApi;

/// <summary>
/// The OpenAPI 3.1 document, built from the functions themselves: routes, methods and path parameters from their HTTP
/// triggers; tags, summaries, query parameters and extra problems from the <c>Api*</c> attributes; schemas from the
/// JSON options the API serialises with, narrowed by the registered validators; examples from the request types.
/// The problem answers every function gives follow from what it declares (a body can be invalid, a path can name
/// nothing, a signed-in route can refuse), so they are derived here instead of being repeated on thirty functions.
/// </summary>
public sealed partial class OpenApiDocument(IServiceProvider services)
{
    private readonly Lazy<string> _json = new(() => Build(services).ToJsonString());

    public string Json => _json.Value;

    private static JsonObject Build(IServiceProvider services)
    {
        var schemas = new OpenApiSchemas();
        var validators = new ValidatorSchemas(schemas);
        var tags = new JsonArray();
        var paths = new JsonObject();
        foreach (var function in HttpFunctions())
        {
            if (!tags.Any(t => t!["name"]!.GetValue<string>() == function.Tag.Name))
            {
                tags.Add(new JsonObject { ["name"] = function.Tag.Name, ["description"] = function.Tag.Description });
            }

            var item = paths[function.Path] as JsonObject ?? [];
            paths[function.Path] = item;
            foreach (var method in function.Trigger.Methods ?? [])
            {
                item[method.ToLowerInvariant()] = Operation(function, method, schemas, validators, services);
            }
        }

        return new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = new JsonObject
            {
                ["title"] = "Global POC Directory API",
                ["version"] = "1",
                ["description"] = "The Global Intergovernmental Points of Contact Directory on ICT security: participants, their "
                    + "diplomatic and technical points of contact (POCs), roles, the audit log and ping campaigns. JSON in camelCase; "
                    + "every error is an RFC 9457 problem (application/problem+json) whose errors member names each invalid field.",
                ["contact"] = new JsonObject { ["name"] = "The Secretariat of the POC Directory" },
                ["license"] = new JsonObject { ["name"] = "Proprietary: for directory participants only", ["identifier"] = "LicenseRef-Proprietary" },
            },

            // Relative: the API answers on the host that serves this document (the portal's in Azure, the runner's locally).
            ["servers"] = new JsonArray(new JsonObject { ["url"] = "/", ["description"] = "The host that serves this document" }),
            ["tags"] = tags,
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = schemas.Components,
                ["securitySchemes"] = new JsonObject
                {
                    ["bearer"] = new JsonObject
                    {
                        ["type"] = "http",
                        ["scheme"] = "bearer",
                        ["bearerFormat"] = "JWT",
                        ["description"] = "An Entra ID access token for the API's audience; locally one from POST /api/dev/token.",
                    },
                },
            },
            ["security"] = Bearer(),
        };
    }

    private sealed record HttpFunction(string Name, string Path, HttpTriggerAttribute Trigger, ApiDocAttribute Doc, ApiTagAttribute Tag, MethodInfo Method);

    private static IEnumerable<HttpFunction> HttpFunctions()
        => typeof(OpenApiDocument).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Select(m => (Method: m, Function: m.GetCustomAttribute<FunctionAttribute>(), Doc: m.GetCustomAttribute<ApiDocAttribute>(),
                Trigger: m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)))
            .Where(f => f.Function is not null && f.Trigger is not null)
            .Select(f => new HttpFunction(
                f.Function!.Name!,
                "/api/" + f.Trigger!.Route,
                f.Trigger,
                f.Doc ?? throw new InvalidOperationException($"{f.Function.Name} has no [ApiDoc]: every HTTP function is described."),
                f.Method.DeclaringType!.GetCustomAttribute<ApiTagAttribute>()
                    ?? throw new InvalidOperationException($"{f.Method.DeclaringType!.Name} has no [ApiTag]: every feature is a tag."),
                f.Method))
            .OrderBy(f => f.Path, StringComparer.Ordinal);

    private static JsonObject Operation(HttpFunction function, string method, OpenApiSchemas schemas, ValidatorSchemas validators, IServiceProvider services)
    {
        var doc = function.Doc;
        var parameters = new JsonArray();
        var pathParameters = RouteParameter().Matches(function.Path).Select(m => m.Groups[1].Value).ToList();
        foreach (var name in pathParameters)
        {
            parameters.Add(new JsonObject { ["name"] = name, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string", ["maxLength"] = 512 } });
        }

        foreach (var query in QueryParameters(function))
        {
            parameters.Add(query.Schema(schemas));
        }

        var headers = function.Method.GetCustomAttributes<ApiHeaderAttribute>().ToList();
        if (doc.IfMatch)
        {
            headers.Add(new ApiHeaderAttribute("If-Match", "The ETag header of the version you read; the change applies only if nobody changed the record since.") { Required = true });
        }

        if (doc.Idempotent)
        {
            headers.Add(new ApiHeaderAttribute(Api.IdempotencyKey.Header,
                "A key of your own (a UUID) for this one create: sent again with the same body within 24 hours, it answers the first result without a second record.") { MaxLength = 128 });
        }

        foreach (var header in headers)
        {
            parameters.Add(new JsonObject
            {
                ["name"] = header.Name,
                ["in"] = "header",
                ["required"] = header.Required,
                ["description"] = header.Description,
                ["schema"] = new JsonObject { ["type"] = "string", ["maxLength"] = header.MaxLength },
            });
        }

        var operation = new JsonObject
        {
            ["operationId"] = function.Name,
            ["tags"] = new JsonArray(function.Tag.Name),
            ["summary"] = doc.Summary,
            ["description"] = Description(doc),
            ["parameters"] = parameters,
        };
        if (doc.Request is not null)
        {
            operation["requestBody"] = RequestBody(doc.Request, schemas, validators, services, doc.Form);
        }

        var writes = !HttpMethods.IsGet(method);
        operation["responses"] = Responses(function, pathParameters.Count > 0, parameters.Count > pathParameters.Count || doc.Request is not null, writes, schemas);
        operation["security"] = doc.Anonymous ? new JsonArray() : Bearer();
        return operation;
    }

    private static string Description(ApiDocAttribute doc)
    {
        var text = new List<string> { doc.Summary };
        text.Add(doc.Anonymous ? "Public: no token is needed." : "Needs a bearer token; what the caller may do follows from their roles in the directory.");
        if (doc.IfMatch)
        {
            text.Add("Send If-Match with the ETag you read: a stale version gets 412 and nothing changes; without If-Match the answer is 428.");
        }

        if (doc.Paged)
        {
            text.Add("Paged: send the continuationToken of a page to get the next one; it is null on the last page.");
        }

        return string.Join(" ", text);
    }

    private static JsonObject RequestBody(Type type, OpenApiSchemas schemas, ValidatorSchemas validators, IServiceProvider services, string? formFile = null)
    {
        var reference = schemas.Ref(type);
        schemas.MakeOptional(schemas.Resolve(reference)!);
        if (services.GetService(typeof(IValidator<>).MakeGenericType(type)) is IValidator validator)
        {
            validators.Describe(schemas.Resolve(reference)!, validator);
        }

        var media = new JsonObject { ["schema"] = reference };
        if (type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IApiExample<>)))
        {
            var example = type.GetProperty(nameof(IApiExample<>.Example), BindingFlags.Public | BindingFlags.Static)!.GetValue(null);
            media["example"] = JsonSerializer.SerializeToNode(example, type, ApiJson.Options);
        }

        if (formFile is not null)
        {
            // A form: the same fields as parts, and the file as a binary part (OpenAPI 3.1 spells binary contentMediaType).
            var properties = schemas.Resolve(reference)!["properties"]!.AsObject();
            properties[formFile] = new JsonObject { ["type"] = "string", ["contentMediaType"] = "application/pdf", ["description"] = "Optional. The scanned document." };
            return new JsonObject { ["required"] = true, ["content"] = new JsonObject { ["multipart/form-data"] = media } };
        }

        return new JsonObject { ["required"] = true, ["content"] = new JsonObject { ["application/json"] = media } };
    }

    private static JsonObject Responses(HttpFunction function, bool hasPath, bool hasInput, bool writes, OpenApiSchemas schemas)
    {
        var doc = function.Doc;
        var responses = new JsonObject();
        var success = new JsonObject { ["description"] = SuccessDescription(doc.SuccessStatus) };
        var headers = new JsonObject();
        if (doc.ETag)
        {
            headers["ETag"] = Header("The record's version: send it back in If-Match to change or retire it.");
        }

        if (doc.SuccessStatus is StatusCodes.Status201Created or StatusCodes.Status202Accepted)
        {
            headers["Location"] = Header("The path of the created or accepted resource.");
        }

        if (headers.Count > 0)
        {
            success["headers"] = headers;
        }

        if (doc.Response is not null)
        {
            var content = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schemas.For(doc.Response) } };
            if (doc.Csv)
            {
                content["text/csv"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string" } };
            }

            success["content"] = content;
        }
        else if (doc.TextContentType is { } textType)
        {
            success["content"] = new JsonObject { [textType] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string" } } };
        }
        else if (doc.BinaryContentType is { } binaryType)
        {
            success["content"] = new JsonObject { [binaryType] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string", ["contentMediaType"] = binaryType } } };
        }

        responses[Status(doc.SuccessStatus)] = success;

        var problems = new SortedDictionary<int, (string Description, Type? Body)>();
        if (hasInput)
        {
            problems[400] = ("The body, a query parameter or a header is invalid; errors names each field and nothing was changed.", null);
        }

        if (!doc.Anonymous)
        {
            problems[401] = ("No valid bearer token.", null);
            problems[403] = ("The caller's roles do not allow this.", null);
        }

        if (hasPath)
        {
            problems[404] = ("Nothing exists at this path, or the caller may not know of it.", null);
        }

        if (doc.Request is not null)
        {
            problems[413] = doc.Form is null ? ($"The body is larger than {ApiHandler.MaxBodyBytes / 1024} KiB.", null) : ("The document or the form is larger than the limit.", null);
            problems[415] = doc.Form is null ? ("The body is not sent as application/json.", null) : ("The form is not sent as multipart/form-data.", null);
        }

        if (doc.IfMatch)
        {
            problems[412] = ("The record changed since the version in If-Match; reload it and apply the change again.", null);
            problems[428] = ("If-Match is missing.", null);
        }

        if (doc.Idempotent)
        {
            problems[409] = ("A request with this Idempotency-Key is still being carried out; try again shortly.", null);
            problems[422] = ("This Idempotency-Key was already used with another body.", null);
        }

        // RequestRateLimiter counts writes only, signed in or not.
        if (writes)
        {
            problems[429] = ("Too many requests from this caller; wait for Retry-After seconds.", null);
        }

        problems[500] = ("An unexpected failure; it is logged under the traceId.", null);
        problems[503] = ("Storage cannot be reached right now; nothing was changed. Try again after Retry-After seconds.", null);
        foreach (var extra in function.Method.GetCustomAttributes<ApiProblemAttribute>())
        {
            problems[extra.Status] = (extra.Description, extra.Body);
        }

        foreach (var (status, (description, body)) in problems)
        {
            var problem = new JsonObject
            {
                ["description"] = description,
                ["content"] = new JsonObject
                {
                    ["application/problem+json"] = new JsonObject { ["schema"] = body is null ? OpenApiSchemas.RefTo(OpenApiSchemas.ProblemDetails) : schemas.Ref(body) },
                },
            };
            var problemHeaders = status switch
            {
                401 => new JsonObject { ["WWW-Authenticate"] = Header("Bearer") },
                429 or 503 => new JsonObject { ["Retry-After"] = Header("Seconds to wait before trying again.", integer: true) },
                _ => null,
            };
            if (problemHeaders is not null)
            {
                problem["headers"] = problemHeaders;
            }

            responses[Status(status)] = problem;
        }

        return responses;
    }

    private sealed record Query(string Name, Type Type, string? Description, string[]? Values, int Minimum, int Maximum)
    {
        public JsonObject Schema(OpenApiSchemas schemas)
        {
            var schema = Values is not null
                ? new JsonObject { ["type"] = "string", ["enum"] = new JsonArray([.. Values.Select(v => JsonValue.Create(v))]) }
                : schemas.For(Type);
            if (Minimum != int.MinValue)
            {
                schema["minimum"] = Minimum;
            }

            if (Maximum != int.MaxValue)
            {
                schema["maximum"] = Maximum;
            }

            var parameter = new JsonObject { ["name"] = Name, ["in"] = "query", ["required"] = false, ["schema"] = schema };
            if (Description is not null)
            {
                parameter.Insert(3, "description", Description);
            }

            return parameter;
        }
    }

    private static IEnumerable<Query> QueryParameters(HttpFunction function)
    {
        foreach (var query in function.Method.GetCustomAttributes<ApiQueryAttribute>())
        {
            yield return new Query(query.Name, query.Type, query.Description, query.Values, query.Minimum, query.Maximum);
        }

        if (function.Doc.Paged)
        {
            yield return new Query("pageSize", typeof(int), $"Items per page (default {Api.QueryParameters.DefaultPageSize}).", null, 1, Api.QueryParameters.MaxPageSize);
            yield return new Query("continuationToken", typeof(string), "The continuationToken of the previous page.", null, int.MinValue, int.MaxValue);
        }
    }

    private static JsonArray Bearer() => new(new JsonObject { ["bearer"] = new JsonArray() });

    private static JsonObject Header(string description, bool integer = false)
        => new() { ["description"] = description, ["schema"] = new JsonObject { ["type"] = integer ? "integer" : "string" } };

    private static string Status(int status) => status.ToString(CultureInfo.InvariantCulture);

    private static string SuccessDescription(int status) => status switch
    {
        StatusCodes.Status201Created => "Created",
        StatusCodes.Status202Accepted => "Accepted: the work goes on in the background",
        StatusCodes.Status204NoContent => "Done; no content",
        _ => "Success",
    };

    [GeneratedRegex("{([^}:?]+)[^}]*}")]
    private static partial Regex RouteParameter();
}
