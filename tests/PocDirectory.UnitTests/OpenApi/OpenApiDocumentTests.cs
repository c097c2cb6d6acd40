using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PocDirectory.Functions;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Campaigns;
using PocDirectory.Functions.OpenApi;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Pocs;
using PocDirectory.Functions.Roles;
using PocDirectory.Functions.Security;

namespace PocDirectory.UnitTests.OpenApi;

/// <summary>The document as the app builds it, with the app's own registrations (no host, no storage).</summary>
public sealed class OpenApiDocumentTests : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly JsonObject _document;

    public OpenApiDocumentTests()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["Auth:Audience"] = "api://poc-directory-tests",
            ["Auth:BootstrapSecretariat"] = "secretariat@example.org",
            ["Email:Provider"] = "Smtp",
            ["Email:SenderAddress"] = "pings@poc-directory.test",
            ["Email:Smtp:Host"] = "127.0.0.1",
            ["Email:Smtp:Port"] = "2525",
            ["Campaigns:AcknowledgementKey"] = Convert.ToBase64String(new byte[32]),
            ["Campaigns:PublicBaseUrl"] = "http://127.0.0.1:7071",
        }).Build();
        _services = new ServiceCollection().AddLogging().AddPocDirectory(configuration).BuildServiceProvider();
        _document = JsonNode.Parse(_services.GetRequiredService<OpenApiDocument>().Json)!.AsObject();
    }

    [Fact]
    public void Document_EveryReference_ResolvesFromTheRoot()
    {
        var references = Descendants(_document).OfType<JsonObject>().Select(o => o["$ref"]?.GetValue<string>()).OfType<string>().ToList();

        Assert.NotEmpty(references);
        Assert.All(references, reference =>
        {
            Assert.StartsWith("#/components/schemas/", reference, StringComparison.Ordinal);
            Assert.NotNull(_document["components"]!["schemas"]![reference["#/components/schemas/".Length..]]);
        });
    }

    [Theory]
    [InlineData(typeof(PocInput))]
    [InlineData(typeof(ParticipantInput))]
    [InlineData(typeof(CampaignInput))]
    [InlineData(typeof(CampaignScheduleInput))]
    [InlineData(typeof(RoleAssignmentInput))]
    [InlineData(typeof(DevTokenRequest))]
    public void RequestExample_PassesItsValidator(Type type)
    {
        var example = JsonSerializer.Deserialize(RequestExamples()[type.Name].ToJsonString(), type, ApiJson.Options)!;
        var validator = (IValidator)_services.GetRequiredService(typeof(IValidator<>).MakeGenericType(type));

        var result = validator.Validate(new ValidationContext<object>(example));

        Assert.True(result.IsValid, string.Join("; ", result.Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}")));
    }

    [Fact]
    public void RequestSchemas_SayWhatTheValidatorsEnforce()
    {
        var schemas = _document["components"]!["schemas"]!;

        Assert.Equal(["availability", "emails", "fullName", "kind", "languages", "organisation", "participant", "rank", "timeZone"], Required(schemas["PocInput"]!));
        Assert.Equal(200, schemas["PocInput"]!["properties"]!["fullName"]!["maxLength"]!.GetValue<int>());
        Assert.Equal("email", schemas["PocInput"]!["properties"]!["emails"]!["items"]!["format"]!.GetValue<string>());
        Assert.Equal(PocInputValidator.MaxEmails, schemas["PocInput"]!["properties"]!["emails"]!["maxItems"]!.GetValue<int>());
        Assert.Equal(PhoneNumberRules.E164Shape, schemas["PhoneInput"]!["properties"]!["number"]!["pattern"]!.GetValue<string>());
        Assert.Equal(ParticipantStore.CodePattern, schemas["ParticipantInput"]!["properties"]!["code"]!["pattern"]!.GetValue<string>());
        Assert.Equal("RegionalOrganisation", schemas["ParticipantInput"]!["properties"]!["type"]!["const"]!.GetValue<string>());
        Assert.Equal(["name", "responseWindow"], Required(schemas["CampaignInput"]!));
        Assert.Equal(["email", "role"], Required(schemas["RoleAssignmentInput"]!));
        Assert.Equal("email", schemas["RoleAssignmentInput"]!["properties"]!["email"]!["format"]!.GetValue<string>());
        Assert.Equal(["email"], Required(schemas["DevTokenRequest"]!));
        Assert.Equal(DevTokenRequestValidator.MaxNameLength, schemas["DevTokenRequest"]!["properties"]!["name"]!["maxLength"]!.GetValue<int>());

        // Days are required only for business hours (a When rule): a schema cannot say so, so it does not claim it.
        Assert.Equal(["type"], Required(schemas["AvailabilityInput"]!));

        // A type with no validator of its own (the scope: empty means everyone) requires nothing.
        Assert.Empty(Required(schemas["CampaignScopeInput"]!));
    }

    [Fact]
    public void Operations_PublicOnesAloneHaveNoSecurity_AndAllButHealthDocumentA4xx()
    {
        var operations = _document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => o.Value!.AsObject())).ToList();
        var open = operations.Where(o => o["security"]!.AsArray().Count == 0).Select(o => o["operationId"]!.GetValue<string>()).Order().ToList();

        Assert.Equal(["Acknowledge", "ConfirmByLink", "CreateDevToken", "GetExerciseResponse", "GetHealth", "GetPgpKey", "GetRsvp", "RespondToExercise", "Rsvp"], open);
        Assert.All(operations.Except(operations.Where(o => o["security"]!.AsArray().Count == 0)), o => Assert.NotNull(o["responses"]!["401"]));

        // Health and the directory's public key take no input and no token, so they alone have no 4xx answer (redocly.yaml turns that rule off).
        var without4xx = operations.Where(o => !o["responses"]!.AsObject().Any(r => r.Key.StartsWith('4'))).Select(o => o["operationId"]!.GetValue<string>());
        Assert.Equal(["GetHealth", "GetPgpKey"], without4xx.Order());
    }

    public void Dispose() => _services.Dispose();

    private Dictionary<string, JsonNode> RequestExamples()
        => _document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => o.Value!["requestBody"]?["content"]?["application/json"]))
            .OfType<JsonObject>()
            .GroupBy(m => m["schema"]!["$ref"]!.GetValue<string>().Split('/')[^1])
            .ToDictionary(g => g.Key, g => g.First()["example"]!);

    private static string[] Required(JsonNode schema) => schema["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToArray() ?? [];

    private static IEnumerable<JsonNode> Descendants(JsonNode node) => node switch
    {
        JsonObject o => o.Select(p => p.Value).OfType<JsonNode>().SelectMany(Descendants).Prepend(o),
        JsonArray a => a.OfType<JsonNode>().SelectMany(Descendants).Prepend(a),
        _ => [node],
    };
}
