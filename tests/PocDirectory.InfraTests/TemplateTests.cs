using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace PocDirectory.InfraTests;

/// <summary>infra/main.bicep compiles, lints clean, and gives the Function App what it needs without any secret.</summary>
public sealed partial class TemplateTests(CompiledTemplate template, ITestOutputHelper output) : IClassFixture<CompiledTemplate>
{
    [Fact]
    public void Build_MainTemplate_ProducesArmJsonWithoutDiagnostics()
    {
        Assert.Equal(0, template.Build.ExitCode);
        Assert.DoesNotContain(template.Build.StandardError.Split('\n'), l => l.Trim().Length > 0);
        Assert.EndsWith("deploymentTemplate.json#", template.Root["$schema"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.NotEmpty(template.Root["resources"]!.AsArray());
    }

    [Fact]
    public void Lint_MainTemplate_ReportsNoDiagnostics()
    {
        // bicep lint exits 0 on warnings, so any printed line fails the test; bicepconfig.json makes the rules errors.
        var lint = template.Lint;

        Assert.True(lint.ExitCode == 0 && lint.Lines.Count == 0, $"bicep lint (exit {lint.ExitCode}):\n{string.Join('\n', lint.Lines)}");
    }

    [Fact]
    public void AppSettings_EverySettingRequiredAtStartup_IsProvided()
    {
        var provided = template.AppSettings;
        // Pass 1: nothing configured, so every unconditional requirement fails. Pass 2: the template's own literal values
        // (e.g. Email:Provider = Acs), which brings out requirements that depend on them (Email:Acs:Endpoint).
        var literals = provided.Where(s => CompiledTemplate.IsLiteral(s.Value))
            .ToDictionary(s => s.Key.Replace("__", ":", StringComparison.Ordinal), s => (string?)s.Value, StringComparer.OrdinalIgnoreCase);
        var failures = AppRequirements.StartupFailures(new Dictionary<string, string?>())
            .Concat(AppRequirements.StartupFailures(literals))
            .ToList();

        Assert.NotEmpty(failures); // the app has required settings; finding none would mean the check itself broke
        foreach (var setting in failures.Select(f => EnvironmentName(f.Setting)).Distinct().Order(StringComparer.Ordinal))
        {
            output.WriteLine($"required at start-up: {setting}");
        }

        var missing = failures
            .Where(f => !IsProvided(provided, EnvironmentName(f.Setting)))
            .Select(f => $"{EnvironmentName(f.Setting)}  ({f.Message})")
            .Distinct()
            .ToList();
        Assert.True(missing.Count == 0, "Required at start-up but not set by the template:\n" + string.Join('\n', missing));
    }

    [Fact]
    public void AppSettings_LiteralValues_PassTheAppsValidation()
    {
        // A value the template writes as-is must satisfy the app: a failure naming it means the literal is wrong.
        var literals = template.AppSettings.Where(s => CompiledTemplate.IsLiteral(s.Value))
            .ToDictionary(s => s.Key.Replace("__", ":", StringComparison.Ordinal), s => (string?)s.Value, StringComparer.OrdinalIgnoreCase);

        var rejected = AppRequirements.StartupFailures(literals)
            .Where(f => literals.ContainsKey(f.Setting))
            .Select(f => f.Message)
            .ToList();

        Assert.Empty(rejected);
    }

    [Fact]
    public void AppSettings_EveryBindingExpression_IsProvided()
    {
        var expressions = AppRequirements.BindingExpressionSettings(out var functionCount);

        Assert.True(functionCount > 0, "No [Function] methods found in the Functions assembly.");
        output.WriteLine($"{functionCount} functions; binding expressions: {string.Join(", ", expressions)}");
        var missing = expressions.Where(s => !IsProvided(template.AppSettings, EnvironmentName(s))).ToList();
        Assert.True(missing.Count == 0, "Trigger binding expressions without an app setting: " + string.Join(", ", missing));
    }

    [Fact]
    public void Template_Everywhere_HoldsNoConnectionStringOrKey()
    {
        // Patterns of credentials inlined or fetched at deployment (list* functions put keys into the deployment).
        string[] forbidden =
        [
            "AccountKey=", "SharedAccessSignature", "SharedAccessKey", "DefaultEndpointsProtocol", "InstrumentationKey=",
            "accesskey=", "Password=", "listKeys(", "listConnectionStrings(", "listSecrets(", "listAccountSas(", "listServiceSas(",
            "primaryKey", "secondaryKey", "primaryConnectionString", "secondaryConnectionString",
        ];

        var found = forbidden.Where(p => template.Json.Contains(p, StringComparison.OrdinalIgnoreCase)).ToList();

        Assert.True(found.Count == 0, "Credential patterns in the compiled template: " + string.Join(", ", found));
    }

    [Fact]
    public void AppSettings_SecretLookingNames_AreKeyVaultReferencesOrIdentityBased()
    {
        // The Application Insights connection string is allowed: it is an ingestion address and ikey, not a credential,
        // and with local auth disabled on the component ingestion needs an Entra ID token (APPLICATIONINSIGHTS_AUTHENTICATION_STRING).
        // It must still come from the resource at deployment, never be typed into the template.
        var settings = template.AppSettings;
        Assert.False(CompiledTemplate.IsLiteral(settings["APPLICATIONINSIGHTS_CONNECTION_STRING"]));
        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys); // the connection-string form; the identity form is AzureWebJobsStorage__*

        var plain = settings
            .Where(s => s.Key != "APPLICATIONINSIGHTS_CONNECTION_STRING" && SecretLookingName().IsMatch(s.Key))
            .Where(s => !s.Value.Contains("@Microsoft.KeyVault(SecretUri=", StringComparison.Ordinal))
            .Select(s => s.Key)
            .ToList();

        Assert.True(plain.Count == 0, "Settings that look like secrets but are not Key Vault references: " + string.Join(", ", plain));
    }

    [Fact]
    public void AcknowledgementKey_Parameter_IsSecureAndOnlyStoredInKeyVault()
    {
        var parameter = template.Root["parameters"]!["acknowledgementKey"]!.AsObject();
        Assert.Equal("securestring", parameter["type"]!.GetValue<string>());
        Assert.Contains("@Microsoft.KeyVault(SecretUri=", template.AppSettings["Campaigns__AcknowledgementKey"], StringComparison.Ordinal);

        var site = Assert.Single(template.Resources("Microsoft.Web/sites"));
        Assert.NotNull(site["properties"]!["keyVaultReferenceIdentity"]); // resolved with the user-assigned identity
    }

    [Fact]
    public void StorageAccount_SharedKeyAccess_IsDisabled()
    {
        var account = Assert.Single(template.Resources("Microsoft.Storage/storageAccounts"));

        Assert.False(account["properties"]!["allowSharedKeyAccess"]!.GetValue<bool>());
        Assert.False(account["properties"]!["allowBlobPublicAccess"]!.GetValue<bool>());
    }

    [Fact]
    public void LocalAuthentication_OnMonitoringAndEmail_IsDisabled()
    {
        var insights = Assert.Single(template.Resources("Microsoft.Insights/components"));
        var communication = Assert.Single(template.Resources("Microsoft.Communication/communicationServices"));

        Assert.True(insights["properties"]!["DisableLocalAuth"]!.GetValue<bool>());
        Assert.True(communication["properties"]!["disableLocalAuth"]!.GetValue<bool>());
    }

    [Fact]
    public void FunctionApp_UserAssignedIdentity_IsSelectedForHostDurableAndWorker()
    {
        var site = Assert.Single(template.Resources("Microsoft.Web/sites"));
        var settings = template.AppSettings;

        Assert.Equal("UserAssigned", site["identity"]!["type"]!.GetValue<string>());
        Assert.True(settings.ContainsKey("AzureWebJobsStorage__accountName"));
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        // The host, Durable Functions and the app's table client take __clientId; DefaultAzureCredential (ACS) takes AZURE_CLIENT_ID.
        Assert.Equal(settings["AzureWebJobsStorage__clientId"], settings["AZURE_CLIENT_ID"]);
    }

    [Fact]
    public void FunctionApp_FlexConsumption_RunsDotnetIsolated10WithoutPlatformManagedSettings()
    {
        var plan = Assert.Single(template.Resources("Microsoft.Web/serverfarms"));
        var site = Assert.Single(template.Resources("Microsoft.Web/sites"));

        Assert.Equal("FC1", plan["sku"]!["name"]!.GetValue<string>());
        var runtime = site["properties"]!["functionAppConfig"]!["runtime"]!;
        Assert.Equal("dotnet-isolated", runtime["name"]!.GetValue<string>());
        Assert.Equal("10.0", runtime["version"]!.GetValue<string>());
        Assert.Equal("UserAssignedIdentity", site["properties"]!["functionAppConfig"]!["deployment"]!["storage"]!["authentication"]!["type"]!.GetValue<string>());
        // Flex Consumption rejects these: the runtime and the package location live in functionAppConfig.
        Assert.DoesNotContain(template.AppSettings.Keys, k => k is "FUNCTIONS_WORKER_RUNTIME" or "FUNCTIONS_EXTENSION_VERSION" or "WEBSITE_RUN_FROM_PACKAGE");
    }

    [Fact]
    public void RoleAssignments_AppIdentity_GetsTheDataRolesDurableFunctionsNeeds()
    {
        // Role ids are named in a variable of the module and referenced from roleDefinitionId, so look in the module text.
        var module = template.Resources("Microsoft.Resources/deployments")
            .Single(d => d["properties"]!["template"]!.ToJsonString().Contains("Microsoft.Authorization/roleAssignments", StringComparison.Ordinal));
        var moduleJson = module.ToJsonString();

        string[] required =
        [
            "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", // Storage Blob Data Owner
            "974c5e8b-45b9-4653-ba55-5f855dd0fb88", // Storage Queue Data Contributor
            "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", // Storage Table Data Contributor
            "4633458b-17de-408a-b874-0445c86b69e6", // Key Vault Secrets User
            "3913510d-42f4-4e42-8a64-420c390055eb", // Monitoring Metrics Publisher
            "09976791-48a7-449e-bb21-39d1a415f350", // Communication and Email Service Owner
        ];
        var absent = required.Where(id => !moduleJson.Contains(id, StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(absent.Count == 0, "Role definitions not assigned: " + string.Join(", ", absent));
    }

    [Fact]
    public void StaticWebApp_Standard_LinksTheFunctionAppAsBackend()
    {
        var site = Assert.Single(template.Resources("Microsoft.Web/staticSites"));
        var backend = Assert.Single(template.Resources("Microsoft.Web/staticSites/linkedBackends"));

        Assert.Equal("Standard", site["sku"]!["name"]!.GetValue<string>());
        Assert.NotNull(backend["properties"]!["backendResourceId"]);
    }

    [Fact]
    public void Parameters_EveryRequiredParameter_IsMappedForAzd()
    {
        var parametersFile = JsonNode.Parse(File.ReadAllText(Path.Combine(BicepCli.InfraDirectory, "main.parameters.json")))!["parameters"]!.AsObject();

        var unmapped = template.Root["parameters"]!.AsObject()
            .Where(p => p.Value!["defaultValue"] is null && !parametersFile.ContainsKey(p.Key))
            .Select(p => p.Key)
            .ToList();
        var unknown = parametersFile.Select(p => p.Key).Where(k => !template.Root["parameters"]!.AsObject().ContainsKey(k)).ToList();

        Assert.True(unmapped.Count == 0, "Parameters azd would have to ask for on every run: " + string.Join(", ", unmapped));
        Assert.True(unknown.Count == 0, "main.parameters.json names parameters the template does not have: " + string.Join(", ", unknown));
    }

    [Fact]
    public void AzureYaml_ApiService_PointsAtTheFunctionsProject()
    {
        var yaml = File.ReadAllText(Path.Combine(BicepCli.RepoRoot, "azure.yaml"));
        var project = ApiProject().Match(yaml);

        Assert.True(project.Success, "azure.yaml has no api service with a project path.");
        Assert.True(File.Exists(Path.Combine(BicepCli.RepoRoot, project.Groups[1].Value, "PocDirectory.Functions.csproj")));
        Assert.Contains("host: function", yaml, StringComparison.Ordinal);
        Assert.Contains("host: staticwebapp", yaml, StringComparison.Ordinal);
    }

    /// <summary>"Email:Acs:Endpoint" is read from the environment variable "Email__Acs__Endpoint".</summary>
    private static string EnvironmentName(string setting) => setting.Replace(":", "__", StringComparison.Ordinal);

    /// <summary>A setting is provided when it is set itself or as a section (AzureWebJobsStorage via AzureWebJobsStorage__accountName).</summary>
    private static bool IsProvided(IReadOnlyDictionary<string, string> settings, string name) =>
        settings.Keys.Any(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)
                               || k.StartsWith(name + "__", StringComparison.OrdinalIgnoreCase));

    // "Secretariat" is not a secret.
    [GeneratedRegex("(?i)(connection_?string|key|secret(?!ariat)|password|token)")]
    private static partial Regex SecretLookingName();

    [GeneratedRegex(@"(?m)^  api:\s*\n(?:    .*\n)*?    project:\s*(\S+)")]
    private static partial Regex ApiProject();
}
