using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Xunit.Abstractions;

namespace PocDirectory.IntegrationTests;

/// <summary>
/// What a client generated from the OpenAPI document would do: send the document's examples (bodies, typed query
/// parameters, the ETag it was given as If-Match) to every operation, and read each answer by the schema the document
/// declares for that status. And the other way round: a body that breaks a constraint the document states is refused
/// with a 400 that names the field.
/// </summary>
[Collection(DirectoryCollection.Name)]
public sealed class OpenApiExampleTests(DirectoryFixture fixture, ITestOutputHelper output)
{
    /// <summary>Operations whose example cannot succeed for the Secretariat, and the documented answer they get instead.</summary>
    private static readonly Dictionary<string, HttpStatusCode> ExpectedProblems = new()
    {
        ["Acknowledge"] = HttpStatusCode.NotFound, // no email link exists for an example token
        ["AcknowledgeCampaignAsPoc"] = HttpStatusCode.Forbidden, // the Secretariat is not a POC of the campaign
        ["CloseCampaign"] = HttpStatusCode.Conflict, // the example campaign is running, not failed
        ["RetryCampaignStep"] = HttpStatusCode.Conflict,
        ["SendCommunication"] = HttpStatusCode.UnprocessableContent, // the example's NOR has no POC here to deliver to
        ["GetCommunication"] = HttpStatusCode.NotFound, // so there is no communication to read, acknowledge or answer
        ["AcknowledgeCommunication"] = HttpStatusCode.NotFound,
        ["ReplyToCommunication"] = HttpStatusCode.NotFound,
        ["GetRsvp"] = HttpStatusCode.NotFound, // no registration link exists for an example token
        ["Rsvp"] = HttpStatusCode.NotFound,
        ["RegisterForMeeting"] = HttpStatusCode.Forbidden, // the Secretariat is not an invited POC
        ["InviteToMeeting"] = HttpStatusCode.Conflict, // the example meeting was cancelled by the operation before it
        ["EndExercise"] = HttpStatusCode.Conflict, // the example exercise is still a draft when end, pause and resume come (start is last)
        ["PauseExercise"] = HttpStatusCode.Conflict,
        ["ResumeExercise"] = HttpStatusCode.Conflict,
        ["GetExerciseResponse"] = HttpStatusCode.NotFound, // no inject link exists for an example token
        ["RespondToExercise"] = HttpStatusCode.NotFound,
        ["ReorderMeetingSpeakers"] = HttpStatusCode.BadRequest, // nobody in the example meeting asked for the floor
        ["CreateOutreach"] = HttpStatusCode.UnprocessableContent, // the example's EXAMPLE has no mission contact or focal point to write to
        ["GetOutreach"] = HttpStatusCode.NotFound, // so there is no outreach to read
        ["ConfirmByLink"] = HttpStatusCode.NotFound, // no re-confirmation link exists for an example token
        ["AcceptImportEntry"] = HttpStatusCode.NotFound, // the example path names the import but no entry number
        ["RejectImportEntry"] = HttpStatusCode.NotFound,
        ["GetNoteVerbaleDocument"] = HttpStatusCode.NotFound, // read before the note verbale (a post on the POC) is recorded
        ["RecordTraining"] = HttpStatusCode.Forbidden, // the Secretariat is neither the POC nor its focal point
    };

    [Fact]
    public async Task EveryOperation_SentItsExamples_AnswersAsDocumented()
    {
        // The example campaign pings SGP's technical POCs: with none yet (other tests of the collection may or may not
        // have made one) it would complete at once, and its cancel would answer 409 instead of 202.
        await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid("SGP"));
        var document = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>("api/openapi.json");
        var schemas = new DocumentSchemas(document!);
        var created = new Dictionary<string, string>(StringComparer.Ordinal); // collection path → the created resource's path
        var answered = new List<string>();

        foreach (var (path, method, operation) in Operations(document!))
        {
            var id = operation["operationId"]!.GetValue<string>();
            var target = Resolve(path, created);
            using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), target.TrimStart('/') + Query(operation));
            if (operation["requestBody"]?["content"]?["application/json"] is JsonObject media)
            {
                var example = media["example"] ?? throw new Xunit.Sdk.XunitException($"{id}: the request body has no example");
                schemas.AssertValid(media["schema"]!, example, $"{id}: its own request example");
                request.Content = new StringContent(example.ToJsonString(), Encoding.UTF8, "application/json");
            }
            else if (operation["requestBody"]?["content"]?["multipart/form-data"] is JsonObject form)
            {
                var example = form["example"] ?? throw new Xunit.Sdk.XunitException($"{id}: the form has no example");
                schemas.AssertValid(form["schema"]!, example, $"{id}: its own form example");
                request.Content = FormOf(example.AsObject(), schemas.Component(form["schema"]!)!);
            }

            if (Parameters(operation).Any(p => p["name"]!.GetValue<string>() == "If-Match"))
            {
                // Read, then change: the ETag of the version just read (a running campaign may have touched the record).
                using var read = await fixture.SecretariatClient.GetAsync(target.TrimStart('/'));
                request.Headers.IfMatch.Add(read.Headers.ETag ?? throw new Xunit.Sdk.XunitException($"{id}: GET {target} gave no ETag"));
            }

            using var response = await fixture.SecretariatClient.SendAsync(request);
            var status = (int)response.StatusCode;
            output.WriteLine($"{method.ToUpperInvariant()} {target} ({id}) → {status}");
            var declared = operation["responses"]![status.ToString(CultureInfo.InvariantCulture)]?.AsObject()
                ?? throw new Xunit.Sdk.XunitException($"{id} answered {status}, which the document does not declare: {await response.Content.ReadAsStringAsync()}");

            await AssertMatchesAsync(declared, response, schemas, id);

            if (ExpectedProblems.TryGetValue(id, out var expected))
            {
                Assert.Equal(expected, response.StatusCode);
            }
            else
            {
                Assert.True(response.IsSuccessStatusCode, $"{id} refused its example with {status}: {await response.Content.ReadAsStringAsync()}");
            }

            if (response.Headers.Location is { } location && method == "post" && !path.Contains('{', StringComparison.Ordinal))
            {
                created[path] = location.OriginalString;
            }

            answered.Add(id);
        }

        Assert.Equal(document!["paths"]!.AsObject().Sum(p => p.Value!.AsObject().Count), answered.Count);
    }

    [Fact]
    public async Task EveryRequestSchema_BrokenConstraint_IsRefusedNamingTheField()
    {
        var document = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>("api/openapi.json");
        var schemas = new DocumentSchemas(document!);
        var tried = 0;
        foreach (var (path, method, operation) in Operations(document!).Where(o => o.Method == "post" && !o.Path.Contains('{', StringComparison.Ordinal)))
        {
            if (operation["requestBody"]?["content"]?["application/json"] is not JsonObject media)
            {
                continue;
            }

            foreach (var (field, body) in Violations(schemas, schemas.Component(media["schema"]!)!, media["example"]!, string.Empty))
            {
                using var response = await fixture.SecretariatClient.PostAsync(path.TrimStart('/'), new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
                var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path} with {field} broken answered {(int)response.StatusCode}: {problem}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.True(problem!["errors"]?[field] is not null, $"{path} with {field} broken named other fields: {problem["errors"]}");
                tried++;
            }
        }

        output.WriteLine($"{tried} broken bodies refused");
        Assert.True(tried >= 20, $"only {tried} constraints were tried");
    }

    /// <summary>Creates first, then reads, replaces, actions on a resource, and deletes last, as a client would.</summary>
    private static IEnumerable<(string Path, string Method, JsonObject Operation)> Operations(JsonObject document)
        => document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => (Path: p.Key, Method: o.Key, Operation: o.Value!.AsObject())))
            .OrderBy(o => (o.Method, o.Path.Contains('{', StringComparison.Ordinal)) switch
            {
                ("post", false) => 0,
                ("get", _) => 1,
                ("put", _) => 2,
                ("post", true) => 3,
                _ => 4,
            })
            .ThenBy(o => o.Path, StringComparer.Ordinal)
            .ToList();

    /// <summary>The example's fields as form parts, and a small file of its declared media type in each binary part.</summary>
    private static MultipartFormDataContent FormOf(JsonObject example, JsonObject schema)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in example)
        {
            form.Add(new StringContent(value!.GetValue<string>()), name);
        }

        foreach (var (name, property) in schema["properties"]!.AsObject().Where(p => p.Value?["contentMediaType"] is not null))
        {
            var file = new ByteArrayContent(Encoding.ASCII.GetBytes("%PDF-1.4\n%%EOF\n"));
            file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(property!["contentMediaType"]!.GetValue<string>());
            form.Add(file, name, "example.pdf");
        }

        return form;
    }

    private static IEnumerable<JsonObject> Parameters(JsonObject operation) => operation["parameters"]?.AsArray().Select(p => p!.AsObject()) ?? [];

    /// <summary>A path parameter is the id of what the operation on the collection above it created; otherwise an example that names nothing.</summary>
    private static string Resolve(string path, Dictionary<string, string> created)
    {
        var open = path.IndexOf('{', StringComparison.Ordinal);
        if (open < 0)
        {
            return path;
        }

        var close = path.IndexOf('}', open);
        var collection = path[..(open - 1)];
        var value = created.TryGetValue(collection, out var location) ? location[(location.LastIndexOf('/') + 1)..] : "unknown-example-id";
        return path[..open] + value + path[(close + 1)..];
    }

    /// <summary>Every typed query parameter with a value of its type: an enum's first value, an integer's minimum, a date-time.</summary>
    private static string Query(JsonObject operation)
    {
        var pairs = new List<string>();
        foreach (var parameter in Parameters(operation).Where(p => p["in"]!.GetValue<string>() == "query"))
        {
            var schema = parameter["schema"]!;
            var value = schema["enum"]?[0]?.GetValue<string>()
                ?? (schema["type"]?.GetValue<string>() == "integer" ? schema["minimum"]?.ToJsonString() : null)
                ?? (schema["format"]?.GetValue<string>() == "date-time" ? "2026-01-01T00:00:00Z" : null);
            if (value is not null)
            {
                pairs.Add($"{parameter["name"]}={Uri.EscapeDataString(value)}");
            }
        }

        return pairs.Count == 0 ? string.Empty : "?" + string.Join('&', pairs);
    }

    private static async Task AssertMatchesAsync(JsonObject declared, HttpResponseMessage response, DocumentSchemas schemas, string id)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (declared["content"] is not JsonObject content)
        {
            Assert.True(text.Length == 0, $"{id} sent a body where the document declares none: {text[..Math.Min(text.Length, 500)]}");
            return;
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType ?? string.Empty;
        var media = content[mediaType] ?? throw new Xunit.Sdk.XunitException($"{id} answered {mediaType}, not one of {string.Join(", ", content.Select(c => c.Key))}");
        if (mediaType.EndsWith("json", StringComparison.Ordinal))
        {
            schemas.AssertValid(media["schema"]!, JsonNode.Parse(text), $"{id} answering {(int)response.StatusCode}");
        }

        foreach (var (header, _) in declared["headers"]?.AsObject() ?? [])
        {
            Assert.True(response.Headers.Contains(header), $"{id} answered without its documented {header} header");
        }
    }

    /// <summary>The example with one stated constraint broken, and the field the 400 must name (camelCase, dotted, as the API reports it).</summary>
    private static IEnumerable<(string Field, JsonNode Body)> Violations(DocumentSchemas schemas, JsonObject schema, JsonNode example, string prefix)
    {
        var properties = schema["properties"]?.AsObject() ?? [];
        foreach (var required in schema["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? [])
        {
            yield return (prefix + required, With(example, e => e.AsObject().Remove(required)));
        }

        foreach (var (name, property) in properties)
        {
            var field = prefix + name;
            if (property?["maxLength"] is JsonValue maxLength)
            {
                yield return (field, With(example, e => e[name] = new string('x', maxLength.GetValue<int>() + 1)));
            }

            if (property?["pattern"] is JsonValue && example[name] is JsonValue)
            {
                yield return (field, With(example, e => e[name] = "!!"));
            }

            if (property?["maxItems"] is JsonValue maxItems && example[name] is JsonArray { Count: > 0 } items)
            {
                yield return (field, With(example, e => e[name] = new JsonArray([.. Enumerable.Repeat(items[0], maxItems.GetValue<int>() + 1).Select(i => i?.DeepClone())])));
            }

            if (schemas.Component(property!) is { } nested && example[name] is JsonObject child)
            {
                foreach (var (inner, body) in Violations(schemas, nested, child, field + "."))
                {
                    yield return (inner, With(example, e => e[name] = body));
                }
            }
        }
    }

    private static JsonNode With(JsonNode example, Action<JsonNode> change)
    {
        var copy = example.DeepClone();
        change(copy);
        return copy;
    }

    /// <summary>The document's component schemas as JSON Schema 2020-12 (the dialect of OpenAPI 3.1), one evaluator per reference.</summary>
    private sealed class DocumentSchemas(JsonObject document)
    {
        private readonly string _definitions = document["components"]!["schemas"]!.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        private readonly Dictionary<string, JsonSchema> _built = [];

        public JsonObject? Component(JsonNode schema)
        {
            var reference = schema["$ref"]?.GetValue<string>() ?? (schema["anyOf"] as JsonArray)?.Select(s => s?["$ref"]?.GetValue<string>()).FirstOrDefault(r => r is not null);
            return reference is null ? null : document["components"]!["schemas"]![reference[(reference.LastIndexOf('/') + 1)..]]?.AsObject();
        }

        public void AssertValid(JsonNode schema, JsonNode? instance, string what)
        {
            var key = schema.ToJsonString();
            if (!_built.TryGetValue(key, out var built))
            {
                var root = $$"""{"$schema":"https://json-schema.org/draft/2020-12/schema","$defs":{{_definitions}},"allOf":[{{key.Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal)}}]}""";
                built = _built[key] = JsonSchema.FromText(root);
            }

            using var parsed = JsonDocument.Parse(instance?.ToJsonString() ?? "null");
            var result = built.Evaluate(parsed.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
            Assert.True(result.IsValid, $"{what} does not match its schema {key}: "
                + string.Join("; ", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).Select(d => $"{d.InstanceLocation}: {string.Join(", ", d.Errors!.Values)}"))
                + $" in {instance?.ToJsonString()}");
        }
    }
}
