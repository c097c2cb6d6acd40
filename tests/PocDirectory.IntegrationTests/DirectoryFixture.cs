using System.Net.Http.Json;
using PocDirectory.TestSupport;

namespace PocDirectory.IntegrationTests;

/// <summary>One Azurite and one local runner shared by every integration test; tests keep apart by using their own participants.</summary>
public class DirectoryFixture : IAsyncLifetime
{
    public const string Secretariat = RunnerSettings.Secretariat;

    private LocalStack _stack = null!;

    public Azurite Azurite => _stack.Azurite;

    public LocalRunner Runner => _stack.Runner;

    /// <summary>The SMTP server the runner sends to; tests read pings from it and follow their links.</summary>
    public TestSmtpServer Smtp => _stack.Smtp;

    public HttpClient SecretariatClient { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _stack = await LocalStack.StartAsync(settings =>
        {
            foreach (var (key, value) in ExtraSettings)
            {
                settings[key] = value;
            }
        });
        SecretariatClient = await Runner.ClientForAsync(Secretariat);
    }

    /// <summary>Settings a derived fixture changes, e.g. the durable backend.</summary>
    protected virtual IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>();

    /// <summary>The runner's settings for tests; campaign windows may be as short as 5 seconds.</summary>
    public static Dictionary<string, string?> Settings(Azurite azurite, int smtpPort = 2525) => RunnerSettings.For(azurite, smtpPort);

    public Task WithSmtpDownAsync(Func<Task> outage) => _stack.WithSmtpDownAsync(outage);

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

    public virtual async Task DisposeAsync()
    {
        SecretariatClient?.Dispose();
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class DirectoryCollection : ICollectionFixture<DirectoryFixture>
{
    public const string Name = "Directory";
}
