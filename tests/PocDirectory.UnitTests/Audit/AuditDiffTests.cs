using PocDirectory.Functions.Audit;

namespace PocDirectory.UnitTests.Audit;

public sealed class AuditDiffTests
{
    private sealed record Sample(string Name, string? Position, IReadOnlyList<string> Emails);

    [Fact]
    public void Diff_ChangedFields_ListsOnlyThoseWithBeforeAndAfter()
    {
        var before = new Sample("Ada", "Head", ["a@example.org"]);
        var after = before with { Position = "Director" };

        var change = Assert.Single(AuditLog.Diff(before, after));

        Assert.Equal("position", change.Field);
        Assert.Equal("Head", change.Before!.GetValue<string>());
        Assert.Equal("Director", change.After!.GetValue<string>());
    }

    [Fact]
    public void Diff_Creation_ListsEveryFieldWithNullBefore()
    {
        var changes = AuditLog.Diff(null, new Sample("Ada", null, ["a@example.org"]));

        Assert.Equal(["name", "emails"], changes.Select(c => c.Field));
        Assert.All(changes, c => Assert.Null(c.Before));
    }

    [Fact]
    public void Diff_ListChange_ComparesWholeList()
    {
        var before = new Sample("Ada", null, ["a@example.org"]);

        var change = Assert.Single(AuditLog.Diff(before, before with { Emails = ["a@example.org", "b@example.org"] }));

        Assert.Equal("emails", change.Field);
        Assert.Equal(2, change.After!.AsArray().Count);
    }

    [Fact]
    public void Diff_Identical_IsEmpty() => Assert.Empty(AuditLog.Diff(new Sample("A", "B", []), new Sample("A", "B", [])));
}
