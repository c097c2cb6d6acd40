using PocDirectory.Functions.Delivery;

namespace PocDirectory.UnitTests.Delivery;

public sealed class LiveProgressTests
{
    [Theory]
    [InlineData(0, null)]
    [InlineData(2_000, null)]
    [InlineData(2_001, 1.0)]
    [InlineData(10_000, 5.0)]
    [InlineData(25_000, 10.0)]
    [InlineData(1_000_000, 10.0)]
    public void CountsMayBeOneSecondOldPer2000Recipients_AboveTheFreshLimit_AndNeverMoreThanTenSeconds(int inScope, double? seconds)
        => Assert.Equal(seconds, LiveProgress.AgeFor(inScope, freshUpTo: 2_000)?.TotalSeconds);

    [Fact]
    public void ANegativeFreshLimit_IsRefusedAtStart()
    {
        var options = new DeliveryOptions { AcknowledgementKey = Convert.ToBase64String(new byte[32]), PublicBaseUrl = "https://pocs.example.org", FreshProgressUpTo = -1 };
        var result = new DeliveryOptionsValidator().Validate(null, options);
        Assert.Contains("Campaigns:FreshProgressUpTo must be 0 or more.", result.Failures!);
        Assert.True(new DeliveryOptionsValidator().Validate(null, new DeliveryOptions { AcknowledgementKey = options.AcknowledgementKey, PublicBaseUrl = options.PublicBaseUrl }).Succeeded);
    }
}
