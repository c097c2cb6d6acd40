using PocDirectory.Functions.Storage;

namespace PocDirectory.UnitTests.Storage;

/// <summary>Outbox rows and idempotency markers live in the partitions of the app's own rows; one filter must tell them apart.</summary>
public sealed class ChangeRowKeysTests
{
    public static TheoryData<string> AppRowKeys => new()
    {
        StorageKeys.ParticipantRowKey,
        StorageKeys.PocRowKey("SGP-01JD0000000000000000000000"),
        StorageKeys.PocRowKeyEnd,
        StorageKeys.PendingRowKey("SGP-01JD0000000000000000000000"),
        StorageKeys.PendingRowKeyEnd,
        StorageKeys.SortableId(DateTimeOffset.UtcNow),
        "bootstrap",
        "01JD00000000000000000000ZZ-20261201120000",
    };

    [Theory]
    [MemberData(nameof(AppRowKeys))]
    public void AppRowKey_SortsBeforeChangeRows(string rowKey)
        => Assert.True(string.CompareOrdinal(rowKey, StorageKeys.ChangeRowKeyStart) < 0, rowKey);

    [Theory]
    [InlineData(StorageKeys.AuditOutboxRowKeyPrefix)]
    [InlineData(StorageKeys.IdempotencyMarkerRowKeyPrefix)]
    public void ChangeRowPrefix_IsSkippedByTheFilter(string prefix)
    {
        Assert.StartsWith(StorageKeys.ChangeRowKeyStart, prefix, StringComparison.Ordinal);
        Assert.Equal("RowKey lt '~'", StorageKeys.SkipsChangeRows);
    }
}
