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
    public async Task Smtp_settings_from_configuration_send_through_the_rate_limited_sender()
    {
        await using var smtp = await TestSmtpServer.StartAsync();
        await using var provider = BuildProvider(new()
        {
            ["Email:Provider"] = "Smtp",
            ["Email:SenderAddress"] = "directory@poc.example",
            ["Email:Smtp:Host"] = "127.0.0.1",
            ["Email:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Email:MaxPerMinute"] = "600",
        });

        var sender = provider.GetRequiredService<IEmailSender>();
        await sender.SendAsync(new EmailMessage("a@cert.example", null, "s", "t", "<p>t</p>", "k/di"), CancellationToken.None);

        Assert.IsType<RateLimitedEmailSender>(sender);
        Assert.Single(await smtp.WaitForMessagesAsync(1, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Acs_settings_from_configuration_resolve_the_acs_sender()
    {
        await using var provider = BuildProvider(new()
        {
            ["Email:Provider"] = "Acs",
            ["Email:SenderAddress"] = "DoNotReply@poc.example",
            ["Email:Acs:Endpoint"] = "https://poc.communication.azure.com",
            ["Email:Acs:AccessKey"] = "c2VjcmV0",
            ["Email:Acs:MaxRetryWait"] = "00:00:30",
        });

        Assert.IsType<RateLimitedEmailSender>(provider.GetRequiredService<IEmailSender>());
        Assert.NotNull(provider.GetRequiredService<AcsEmailSender>());
        Assert.Equal(TimeSpan.FromSeconds(30), provider.GetRequiredService<IOptions<EmailOptions>>().Value.Acs.MaxRetryWait);
    }

    private static ServiceProvider BuildProvider(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddEmail(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
