using Azure.Data.Tables;
using PocDirectory.Functions.Storage;

namespace PocDirectory.UnitTests.Storage;

public sealed class DirectoryTablesTests
{
    private readonly DirectoryTables _tables = new(new TableServiceClient("UseDevelopmentStorage=true"));

    [Fact]
    public void Table_OneOfTheAppsTables_IsThatTablesClient()
    {
        Assert.Same(_tables.Directory, _tables.Table(StorageKeys.DirectoryTable));
        Assert.Same(_tables.CampaignResults, _tables.Table(StorageKeys.CampaignResultsTable));
        Assert.Same(_tables.Idempotency, _tables.Table(StorageKeys.IdempotencyTable));
        Assert.Same(_tables.Deliveries, _tables.Table(StorageKeys.DeliveriesTable));
    }

    [Fact]
    public void Table_AFeaturesRecipientsTable_IsAClientForThatName()
        => Assert.Equal("MeetingRecipients", _tables.Table("MeetingRecipients").Name);
}
