using Microsoft.Extensions.Options;

namespace PocDirectory.Functions.Delivery;

/// <summary>
/// Every link to the portal that the app writes into a message is made here. The portal's side of each (the rewrite in
/// staticwebapp.config.json, the local runner's fallback, the page app.js opens) is checked against
/// <see cref="LinkPages"/> by PortalLinksTests, so a new kind of link cannot be sent before the portal can open it.
/// </summary>
public sealed class PortalLinks(IOptions<DeliveryOptions> options)
{
    /// <summary>
    /// The portal page of each link purpose: {PublicBaseUrl}/{page}/{token}, opened without sign-in. A purpose gets its
    /// page here when the portal has one (the feature that first sends such links adds both).
    /// </summary>
    public static IReadOnlyDictionary<LinkPurpose, string> LinkPages { get; } = new Dictionary<LinkPurpose, string>
    {
        [LinkPurpose.Acknowledge] = "ack",
        [LinkPurpose.Register] = "rsvp",
        [LinkPurpose.Respond] = "exercise",
        [LinkPurpose.Confirm] = "confirm",
    };

    private Uri Base => new(options.Value.PublicBaseUrl.TrimEnd('/') + "/");

    /// <summary>The link a recipient follows: the page of the token's purpose.</summary>
    public Uri ForToken(LinkPurpose purpose, string token) => LinkPages.TryGetValue(purpose, out var page)
        ? new(Base, $"{page}/{token}")
        : throw new InvalidOperationException($"The portal has no page for {purpose} links: add it to PortalLinks.LinkPages, staticwebapp.config.json and app.js.");

    /// <summary>A page of the signed-in portal, e.g. <c>Page("campaigns", id, "report")</c> → {PublicBaseUrl}/#/campaigns/{id}/report.</summary>
    public Uri Page(params string[] route) => new(Base, "#/" + string.Join('/', route.Select(Uri.EscapeDataString)));
}
