using Azure.Data.Tables;
using PocDirectory.Functions.Storage;

namespace PocDirectory.UnitTests.Storage;

public sealed class DirectoryTablesTests
{
    private readonly DirectoryTables _tables = new(new TableServiceClient("UseDevelopmentStorage=true"));

    [Theory]
    [InlineData(StorageKeys.DirectoryTable)]
    [InlineData(StorageKeys.RoleAssignmentsTable)]
    [InlineData(StorageKeys.AuditTable)]
    [InlineData(StorageKeys.CampaignsTable)]
    [InlineData(StorageKeys.CampaignResultsTable)]
    [InlineData(StorageKeys.IdempotencyTable)]
    public void Named_OneOfTheAppsTables_IsThatTable(string name)
        => Assert.Equal(name, _tables.Named(name)?.Name);

    [Theory]
    [InlineData("Secrets")]
    [InlineData("directory")]
    [InlineData("")]
    public void Named_AnyOtherName_IsNull(string name) => Assert.Null(_tables.Named(name));
}
