using PocDirectory.Functions.Storage;

namespace PocDirectory.UnitTests.Storage;

public sealed class StorageKeysTests
{
    [Fact]
    public void NewPocId_StartsWithParticipant_AndRoundTrips()
    {
        var id = StorageKeys.NewPocId("sgp", DateTimeOffset.UtcNow);

        Assert.StartsWith("SGP-", id);
        Assert.True(StorageKeys.TryParticipantOfPocId(id, out var participant));
        Assert.Equal("SGP", participant);
        Assert.Equal(id, StorageKeys.PocIdFromRowKey(StorageKeys.PocRowKey(id)));
    }

    [Fact]
    public void SortableId_LaterTime_SortsAfter_AndIdsAreUnique()
    {
        var now = DateTimeOffset.UtcNow;
        var earlier = StorageKeys.SortableId(now);
        var later = StorageKeys.SortableId(now.AddMilliseconds(1));

        Assert.True(string.CompareOrdinal(earlier, later) < 0);
        Assert.Equal(1000, Enumerable.Range(0, 1000).Select(_ => StorageKeys.SortableId(now)).Distinct().Count());
    }

    [Fact]
    public void AuditKeys_NewerEntries_SortFirst()
    {
        var day1 = new DateTimeOffset(2026, 11, 27, 23, 0, 0, TimeSpan.Zero);
        var day2 = day1.AddHours(2);

        Assert.True(string.CompareOrdinal(StorageKeys.AuditPartition(day2), StorageKeys.AuditPartition(day1)) < 0);
        Assert.True(string.CompareOrdinal(StorageKeys.AuditRowKey(day1.AddMinutes(1), "a"), StorageKeys.AuditRowKey(day1, "a")) < 0);
    }

    [Theory]
    [InlineData("Ada@Example.org", "ada%40example.org")]
    [InlineData("a/b#c?d@example.org", "a%2Fb%23c%3Fd%40example.org")]
    public void UserPartition_Email_IsLowercaseAndFreeOfForbiddenKeyCharacters(string email, string expected)
        => Assert.Equal(expected, StorageKeys.UserPartition(email));

    [Theory]
    [InlineData("")]
    [InlineData("-ABC")]
    [InlineData("NODASH")]
    [InlineData("SGP-")]
    public void TryParticipantOfPocId_Malformed_IsFalse(string id) => Assert.False(StorageKeys.TryParticipantOfPocId(id, out _));
}
