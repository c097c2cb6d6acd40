using PocDirectory.Functions.Security;

namespace PocDirectory.UnitTests.Security;

public sealed class VisibilityTableTests
{
    private static readonly Dictionary<Viewer, string> Columns = new()
    {
        [Viewer.Secretariat] = "Secretariat",
        [Viewer.OwnParticipant] = "own participant",
        [Viewer.OtherParticipant] = "other participants",
    };

    /// <summary>The README's table is what the integration test walks, so it must say exactly what the code enforces.</summary>
    [Fact]
    public void ReadmeTable_IsTheCodesTable()
    {
        var readme = File.ReadAllLines(Path.Combine(RepoRoot(), "README.md"))
            .SkipWhile(l => !l.Contains("<!-- visibility-table -->", StringComparison.Ordinal)).Skip(3)
            .TakeWhile(l => l.StartsWith('|')).ToList();

        var expected = Enum.GetValues<Confidential>().Select(data =>
            $"| {data} | " + string.Join(" | ", Columns.Select(c => Visibility.Table[data].Contains(c.Key) ? "yes" : "no")) + " |");
        Assert.Equal(expected, readme);
    }

    private static string RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory!.FullName, "PocDirectory.sln")))
        {
            directory = directory.Parent;
        }

        return directory.FullName;
    }
}
