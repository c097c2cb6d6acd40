using PocDirectory.Functions.Api;
using PocDirectory.Functions.Roles;
using PocDirectory.Functions.Security;

namespace PocDirectory.UnitTests.Security;

public sealed class CallerTests
{
    private static Caller With(params RoleAssignment[] roles) => new("user@example.org", null, roles);

    private static RoleAssignment Assignment(Role role, string? participant = null, string? pocId = null)
        => new("id", "user@example.org", role, participant, pocId, DateTimeOffset.UnixEpoch, "test");

    [Fact]
    public void FocalPoint_ManagesOnlyOwnParticipant()
    {
        var caller = With(Assignment(Role.FocalPoint, "SGP"));

        caller.RequireCanManage("SGP");
        caller.RequireCanManage("sgp");
        Assert.Throws<ForbiddenException>(() => caller.RequireCanManage("CHE"));
        Assert.Throws<ForbiddenException>(caller.RequireSecretariat);
    }

    [Fact]
    public void Poc_EditsOnlyOwnRecord_AndManagesNothing()
    {
        var caller = With(Assignment(Role.Poc, pocId: "SGP-1"));

        caller.RequireCanEdit("SGP", "SGP-1");
        caller.RequireDirectoryAccess();
        Assert.Throws<ForbiddenException>(() => caller.RequireCanEdit("SGP", "SGP-2"));
        Assert.Throws<ForbiddenException>(() => caller.RequireCanManage("SGP"));
    }

    [Fact]
    public void Secretariat_MayDoEverything()
    {
        var caller = With(Assignment(Role.Secretariat));

        Assert.True(caller.CanManage("ANY"));
        Assert.Null(Record.Exception(caller.RequireSecretariat));
        Assert.Null(Record.Exception(caller.RequireDirectoryAccess));
        Assert.Null(Record.Exception(() => caller.RequireCanManage("ANY")));
        Assert.Null(Record.Exception(() => caller.RequireCanEdit("ANY", "ANY-1")));
    }

    [Fact]
    public void NoRole_MayNotReadTheDirectory() => Assert.Throws<ForbiddenException>(With().RequireDirectoryAccess);
}
