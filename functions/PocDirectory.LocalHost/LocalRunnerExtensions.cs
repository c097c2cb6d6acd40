using Microsoft.Extensions.FileProviders;
using PocDirectory.Functions.Delivery;

namespace PocDirectory.LocalHost;

public static class LocalRunnerExtensions
{
    public static IServiceCollection AddLocalRunner(this IServiceCollection services, IConfiguration configuration, FunctionCatalog catalog)
    {
        services.AddSingleton(catalog);
        services.AddRouting();
        services.AddSingleton<TimerTriggerHost>();
        services.AddHostedService(sp => sp.GetRequiredService<TimerTriggerHost>());
        return services;
    }

    /// <summary>Serves the static portal at / (locally; in Azure it is a Static Web App), with index.html for client-side routes.</summary>
    public static void UsePortal(this WebApplication app, IConfiguration configuration)
    {
        var path = configuration["Runner:PortalPath"] ?? FindPortal(AppContext.BaseDirectory);
        if (path is null || !Directory.Exists(path))
        {
            return;
        }

        var files = new PhysicalFileProvider(Path.GetFullPath(path));
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        // The pages that links in messages open (Static Web Apps rewrites the same paths in staticwebapp.config.json).
        foreach (var page in PortalLinks.LinkPages.Values)
        {
            app.MapFallback($"/{page}/{{**token}}", async context =>
            {
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.SendFileAsync(files.GetFileInfo("index.html"));
            });
        }
    }

    private static string? FindPortal(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "portal");
            if (File.Exists(Path.Combine(candidate, "index.html")))
            {
                return candidate;
            }
        }

        return null;
    }
}
