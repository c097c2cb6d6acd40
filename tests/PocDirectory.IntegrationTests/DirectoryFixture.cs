using System.Net.Http.Json;
using PocDirectory.TestSupport;

namespace PocDirectory.IntegrationTests;

/// <summary>One Azurite and one local runner shared by every integration test; tests keep apart by using their own participants.</summary>
public sealed class DirectoryFixture : IAsyncLifetime
{
    public const string Secretariat = "secretariat@example.org";

    public Azurite Azurite { get; private set; } = null!;

    public LocalRunner Runner { get; private set; } = null!;

    public HttpClient SecretariatClient { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Azurite = await Azurite.StartAsync();
        Runner = await LocalRunner.StartAsync(Settings(Azurite));
        SecretariatClient = await Runner.ClientForAsync(Secretariat);
    }

    public static Dictionary<string, string?> Settings(Azurite azurite) => new()
    {
        ["AzureWebJobsStorage"] = azurite.ConnectionString,
        ["Auth:Audience"] = "api://poc-directory-tests",
        ["Auth:DevSigningKey"] = LocalRunner.NewDevSigningKey(),
        ["Auth:BootstrapSecretariat"] = Secretariat,
        ["Email:Provider"] = "Smtp",
        ["Email:SenderAddress"] = "pings@poc-directory.test",
        ["Email:Smtp:Host"] = "127.0.0.1",
        ["Email:Smtp:Port"] = "2525",
    };

    /// <summary>A new regional organisation that only the calling test uses.</summary>
    public async Task<string> NewParticipantAsync()
    {
        var code = "T" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        using var response = await SecretariatClient.PostAsJsonAsync("api/participants", new { code, name = $"Test organisation {code}", type = "RegionalOrganisation" });
        response.EnsureSuccessStatusCode();
        return code;
    }

    /// <summary>A client signed in as a new user holding the given role.</summary>
    public async Task<HttpClient> UserWithRoleAsync(string role, string? participant = null, string? pocId = null)
    {
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@example.org";
        using var response = await SecretariatClient.PostAsJsonAsync("api/role-assignments", new { email, role, participant, pocId });
        response.EnsureSuccessStatusCode();
        return await Runner.ClientForAsync(email);
    }

    public async Task DisposeAsync()
    {
        SecretariatClient?.Dispose();
        if (Runner is not null)
        {
            await Runner.DisposeAsync();
        }

        if (Azurite is not null)
        {
            await Azurite.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class DirectoryCollection : ICollectionFixture<DirectoryFixture>
{
    public const string Name = "Directory";
}
