using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PocDirectory.Functions.Delivery;
using PocDirectory.TestSupport;

namespace PocDirectory.UnitTests.Delivery;

/// <summary>Links in messages are made in one place, and the portal can open every kind the app sends.</summary>
public sealed class PortalLinksTests
{
    private readonly PortalLinks _links = new(Options.Create(new DeliveryOptions { PublicBaseUrl = "https://pocs.example.org/" }));

    [Fact]
    public void ForToken_Acknowledge_IsTheAckPageUnderThePublicBaseUrl()
    {
        Assert.Equal("https://pocs.example.org/ack/AQpj", _links.ForToken(LinkPurpose.Acknowledge, "AQpj").AbsoluteUri);
    }

    [Fact]
    public void ForToken_PurposeWithoutAPortalPage_ThrowsNamingWhereToAddIt()
    {
        var error = Assert.Throws<InvalidOperationException>(() => _links.ForToken((LinkPurpose)99, "AQpj"));

        Assert.Contains("PortalLinks.LinkPages", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Page_EscapesEachSegment()
    {
        Assert.Equal("https://pocs.example.org/#/campaigns/01JD%2F..%2F/report", _links.Page("campaigns", "01JD/../", "report").AbsoluteUri);
    }

    [Fact]
    public void EveryLinkPage_IsRewrittenByTheStaticWebApp_AndOpenedByThePortal()
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "portal", "staticwebapp.config.json")))!;
        var routes = config["routes"]!.AsArray().Select(r => r!["route"]!.GetValue<string>()).ToList();
        var app = File.ReadAllText(Path.Combine(RepoPaths.Root, "portal", "app.js"));

        Assert.All(PortalLinks.LinkPages.Values, page =>
        {
            Assert.Contains($"/{page}/*", routes);
            Assert.Contains($"'/{page}/'", app, StringComparison.Ordinal);
        });
    }
}
