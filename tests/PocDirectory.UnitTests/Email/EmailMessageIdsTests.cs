using PocDirectory.Functions.Email;

namespace PocDirectory.UnitTests.Email;

public sealed class EmailMessageIdsTests
{
    [Fact]
    public void Operation_id_is_a_stable_version_8_uuid_per_key()
    {
        var first = EmailMessageIds.OperationId("campaign-7/poc-12/ping");
        var again = EmailMessageIds.OperationId("campaign-7/poc-12/ping");
        var other = EmailMessageIds.OperationId("campaign-7/poc-13/ping");

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);

        var text = first.ToString("D");
        Assert.Equal('8', text[14]);
        Assert.Contains(text[19], "89ab");
    }

    [Fact]
    public void Message_id_shares_the_operation_id()
    {
        var key = "campaign-7/poc-12/reminder-1";

        Assert.Equal($"{EmailMessageIds.OperationId(key):N}@pocdirectory", EmailMessageIds.MessageId(key));
    }
}
