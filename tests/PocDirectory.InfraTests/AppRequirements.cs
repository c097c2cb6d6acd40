using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PocDirectory.Functions;

namespace PocDirectory.InfraTests;

/// <summary>
/// What the Functions app itself demands at start-up, found by running its own start-up checks rather than from a list
/// kept by hand: the options validators (ValidateOnStart) and the hosted services the host starts (the table client
/// fails there without AzureWebJobsStorage), plus the %Setting% expressions in trigger attributes.
/// </summary>
internal static partial class AppRequirements
{
    /// <summary>One start-up failure and the setting it names (in "Section:Key" form).</summary>
    public sealed record Failure(string Setting, string Message);

    /// <summary>Runs the app's start-up validation against <paramref name="settings"/> ("Section:Key" → value).</summary>
    public static IReadOnlyList<Failure> StartupFailures(IReadOnlyDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPocDirectory(configuration);
        using var provider = services.BuildServiceProvider();

        var exceptions = new List<Exception>();
        // What the generic host does first when it starts: validate every option registered with ValidateOnStart ...
        Capture(exceptions, () => provider.GetService<IStartupValidator>()?.Validate());
        // ... then create and start the hosted services (creating them builds the clients they depend on).
        Capture(exceptions, () => provider.GetServices<IHostedService>().ToList());

        return exceptions.SelectMany(Flatten).OfType<OptionsValidationException>()
            .SelectMany(e => e.Failures.Select(m => new Failure(SettingNamedBy(e, m), m)))
            .Distinct()
            .ToList();
    }

    /// <summary>Settings that trigger attributes read through binding expressions, e.g. TimerTrigger("%CampaignSchedulerSchedule%").</summary>
    public static IReadOnlyList<string> BindingExpressionSettings(out int functionCount)
    {
        var functions = typeof(PocDirectory.Functions.ServiceCollectionExtensions).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
            .ToList();
        functionCount = functions.Count;

        return functions
            .SelectMany(m => m.GetParameters())
            .SelectMany(p => p.GetCustomAttributesData())
            .SelectMany(a => a.ConstructorArguments.Concat(a.NamedArguments.Select(n => n.TypedValue)))
            .Select(v => v.Value as string)
            .Where(v => v is not null)
            .SelectMany(v => BindingExpression().Matches(v!).Select(m => m.Groups[1].Value))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The setting a failure is about: the options name when the app raised the failure for a named setting
    /// (AzureWebJobsStorage), otherwise the first "Section:Key" in the message. Later names in a message are
    /// alternatives or context ("... only a local set-up may use Auth:DevSigningKey instead"), not requirements.
    /// </summary>
    private static string SettingNamedBy(OptionsValidationException exception, string message)
    {
        if (!string.IsNullOrEmpty(exception.OptionsName))
        {
            return exception.OptionsName;
        }

        var match = SectionedSetting().Match(message);
        return match.Success
            ? match.Value
            : throw new InvalidOperationException($"Cannot tell which setting this start-up failure names: \"{message}\" ({exception.OptionsType.Name}).");
    }

    private static void Capture(List<Exception> exceptions, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e)
        {
            exceptions.Add(e);
        }
    }

    private static IEnumerable<Exception> Flatten(Exception e) =>
        e switch
        {
            AggregateException a => a.InnerExceptions.SelectMany(Flatten),
            OptionsValidationException => [e],
            { InnerException: { } inner } => Flatten(inner),
            _ => [e],
        };

    [GeneratedRegex(@"%([A-Za-z_][A-Za-z0-9_:.\-]*)%")]
    private static partial Regex BindingExpression();

    [GeneratedRegex(@"\b[A-Za-z][A-Za-z0-9]*(?::[A-Za-z][A-Za-z0-9]*)+\b")]
    private static partial Regex SectionedSetting();
}
