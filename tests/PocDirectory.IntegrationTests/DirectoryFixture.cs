using System.Net.Http.Json;
using PocDirectory.TestSupport;

namespace PocDirectory.IntegrationTests;

/// <summary>One Azurite and one local runner shared by every integration test; tests keep apart by using their own participants.</summary>
public class DirectoryFixture : IAsyncLifetime
{
    public const string Secretariat = RunnerSettings.Secretariat;

    public Azurite Azurite { get; private set; } = null!;

    public LocalRunner Runner { get; private set; } = null!;

    public HttpClient SecretariatClient { get; private set; } = null!;

    /// <summary>The SMTP server the runner sends to; tests read pings from it and follow their links.</summary>
    public TestSmtpServer Smtp { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Azurite = await Azurite.StartAsync();
        Smtp = await TestSmtpServer.StartAsync();
        var settings = Settings(Azurite, Smtp.Port);
        foreach (var (key, value) in ExtraSettings)
        {
            settings[key] = value;
        }

        Runner = await LocalRunner.StartAsync(settings);
        SecretariatClient = await Runner.ClientForAsync(Secretariat);
    }

    /// <summary>Settings a derived fixture changes, e.g. the durable backend.</summary>
    protected virtual IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>();

    /// <summary>The runner's settings for tests; campaign windows may be as short as 5 seconds.</summary>
    public static Dictionary<string, string?> Settings(Azurite azurite, int smtpPort = 2525) => RunnerSettings.For(azurite, smtpPort);

    /// <summary>Stops the SMTP server for the duration of <paramref name="outage"/>, then starts a new one on the same port.</summary>
    public async Task WithSmtpDownAsync(Func<Task> outage)
    {
        var port = Smtp.Port;
        await Smtp.DisposeAsync();
        try
        {
            await outage();
        }
        finally
        {
            Smtp = await TestSmtpServer.StartAsync(port);
        }
    }

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
        if (Smtp is not null)
        {
            await Smtp.DisposeAsync();
        }

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
