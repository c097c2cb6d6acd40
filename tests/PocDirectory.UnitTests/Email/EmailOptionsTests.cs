using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PocDirectory.Functions.Email;
using PocDirectory.TestSupport;

namespace PocDirectory.UnitTests.Email;

public sealed class EmailOptionsTests
{
    private readonly EmailOptionsValidator _validator = new();

    [Fact]
    public void Empty_settings_name_every_missing_required_setting()
    {
        var result = _validator.Validate(null, new EmailOptions());

        Assert.True(result.Failed);
        Assert.Contains("Email:Provider is required (Smtp or Acs).", result.Failures!);
        Assert.Contains("Email:SenderAddress is required.", result.Failures!);
    }

    [Fact]
    public void Smtp_without_host_names_the_setting()
    {
        var result = _validator.Validate(null, new EmailOptions { Provider = EmailProvider.Smtp, SenderAddress = "d@poc.example" });

        Assert.Equal(["Email:Smtp:Host is required when Email:Provider is Smtp."], result.Failures!);
    }

    [Fact]
    public void Smtp_user_without_password_is_refused()
    {
        var result = _validator.Validate(null, new EmailOptions
        {
            Provider = EmailProvider.Smtp,
            SenderAddress = "d@poc.example",
            Smtp = new SmtpEmailOptions { Host = "localhost", UserName = "relay" },
        });

        Assert.Equal(["Email:Smtp:Password is required when Email:Smtp:UserName is set."], result.Failures!);
    }

    [Fact]
    public void Acs_without_endpoint_names_the_setting()
    {
        var result = _validator.Validate(null, new EmailOptions { Provider = EmailProvider.Acs, SenderAddress = "d@poc.example" });

        Assert.Equal(["Email:Acs:Endpoint is required when Email:Provider is Acs."], result.Failures!);
    }

    [Theory]
    [InlineData(1, 0, true)]
    [InlineData(30, 100, true)]
    [InlineData(0, 6, true)]
    [InlineData(0, 5, false)]
    [InlineData(0, 1, false)]
    public void A_pace_that_cannot_fit_one_send_in_an_activity_is_refused_at_start_up(int perMinute, int perHour, bool fits)
    {
        // ACS defaults: up to 2 minutes of retry waits and 2 of polling per send; an activity may use 15 of the 30 minutes.
        var result = _validator.Validate(null, new EmailOptions
        {
            Provider = EmailProvider.Acs,
            SenderAddress = "d@poc.example",
            Acs = new AcsEmailOptions { Endpoint = new Uri("https://poc.communication.azure.com") },
            MaxPerMinute = perMinute,
            MaxPerHour = perHour,
        });

        Assert.Equal(fits, result.Succeeded);
        if (!fits)
        {
            Assert.StartsWith("Email pace cannot fit: one send every ", Assert.Single(result.Failures!), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_pace_interval_keeps_both_quotas()
    {
        // The hourly quota binds: 100 an hour is one every 36 s (+ 5 s of margin spread over the hour).
        Assert.Equal(TimeSpan.FromSeconds(36.05), new EmailOptions { MaxPerMinute = 30, MaxPerHour = 100 }.PaceInterval);
        Assert.Equal(TimeSpan.FromSeconds(2), new EmailOptions { MaxPerMinute = 30, PaceMargin = TimeSpan.Zero }.PaceInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(1084), new EmailOptions { MaxPerMinute = 60 }.PaceInterval);
        Assert.Equal(TimeSpan.Zero, new EmailOptions().PaceInterval);
    }

    [Fact]
    public void The_default_function_timeout_is_the_one_in_host_json()
    {
        // Email:FunctionTimeout is the app's copy of the host's setting; the two must not drift apart.
        using var hostJson = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "host.json")));
        var configured = TimeSpan.Parse(hostJson.RootElement.GetProperty("functionTimeout").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(configured, new EmailOptions().FunctionTimeout);
    }

    [Theory]
    [InlineData("http://poc.communication.azure.com", "c2VjcmV0", "must be an https URI")]
    [InlineData("http://127.0.0.1:5000", null, "must be an https URI")]
    [InlineData("https://poc.communication.azure.com", "not base64!", "Email:Acs:AccessKey is not valid Base64.")]
    public void Acs_endpoint_and_key_are_checked(string endpoint, string? accessKey, string expected)
    {
        var result = _validator.Validate(null, new EmailOptions
        {
            Provider = EmailProvider.Acs,
            SenderAddress = "d@poc.example",
            Acs = new AcsEmailOptions { Endpoint = new Uri(endpoint), AccessKey = accessKey },
        });

        Assert.Contains(result.Failures!, failure => failure.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://poc.communication.azure.com", null)]
    [InlineData("http://127.0.0.1:5000", "c2VjcmV0")]
    public void Valid_acs_settings_pass(string endpoint, string? accessKey)
    {
        var result = _validator.Validate(null, new EmailOptions
        {
            Provider = EmailProvider.Acs,
            SenderAddress = "d@poc.example",
            Acs = new AcsEmailOptions { Endpoint = new Uri(endpoint), AccessKey = accessKey },
        });

        Assert.True(result.Succeeded);
    }

    [Fact]
    public async Task Host_start_fails_with_the_name_of_the_missing_setting()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Email:Provider"] = "Smtp",
            ["Email:SenderAddress"] = "directory@poc.example",
        });
        builder.Services.AddEmail(builder.Configuration);
        using var host = builder.Build();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Email:Smtp:Host is required when Email:Provider is Smtp.", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Smtp_settings_from_configuration_send_through_the_shared_pace()
    {
        await using var smtp = await TestSmtpServer.StartAsync();
        await using var azurite = await Azurite.StartAsync();
        await using var provider = BuildProvider(azurite.ConnectionString, new()
        {
            ["Email:Provider"] = "Smtp",
            ["Email:SenderAddress"] = "directory@poc.example",
            ["Email:Smtp:Host"] = "127.0.0.1",
            ["Email:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Email:MaxPerMinute"] = "600",
        });

        var sender = provider.GetRequiredService<IEmailSender>();
        await sender.SendAsync(new EmailMessage("a@cert.example", null, "s", "t", "<p>t</p>", "k/di"), CancellationToken.None);

        Assert.IsType<PacedEmailSender>(sender);
        Assert.Equal(TimeSpan.FromMilliseconds(109), provider.GetRequiredService<EmailPace>().Interval);
        Assert.Single(await smtp.WaitForMessagesAsync(1, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Acs_settings_from_configuration_resolve_the_acs_sender_unpaced_without_a_quota()
    {
        await using var provider = BuildProvider("UseDevelopmentStorage=true", new()
        {
            ["Email:Provider"] = "Acs",
            ["Email:SenderAddress"] = "DoNotReply@poc.example",
            ["Email:Acs:Endpoint"] = "https://poc.communication.azure.com",
            ["Email:Acs:AccessKey"] = "c2VjcmV0",
            ["Email:Acs:MaxRetryWait"] = "00:00:30",
        });

        Assert.IsType<AcsEmailSender>(provider.GetRequiredService<IEmailSender>());
        Assert.NotNull(provider.GetRequiredService<AcsEmailSender>());
        Assert.Equal(TimeSpan.FromSeconds(30), provider.GetRequiredService<IOptions<EmailOptions>>().Value.Acs.MaxRetryWait);
    }

    private static ServiceProvider BuildProvider(string storage, Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(new Azure.Data.Tables.TableServiceClient(storage));
        services.AddEmail(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
