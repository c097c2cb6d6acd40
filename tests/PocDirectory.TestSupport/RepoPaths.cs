namespace PocDirectory.TestSupport;

/// <summary>Where the repository and the build outputs are, seen from a test assembly.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the configuration the tests themselves were built in, so they run the matching runner.</summary>
    public static string Configuration { get; } = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    public static string FunctionsOutput => Path.Combine(Root, "functions", "PocDirectory.Functions", "bin", Configuration, "net10.0");

    public static string LocalHostDll => Path.Combine(Root, "functions", "PocDirectory.LocalHost", "bin", Configuration, "net10.0", "PocDirectory.LocalHost.dll");

    public static string Azurite => Path.Combine(Root, "node_modules", ".bin", "azurite");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PocDirectory.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("PocDirectory.sln not found above " + AppContext.BaseDirectory);
    }
}
