using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.OpenApi;

namespace PocDirectory.Functions.Email.Pgp;

[ApiTag("OpenPGP", "The directory's public key, which signs every encrypted message.")]
public sealed class PgpKeyFunctions(ApiHandler api, DirectoryPgp pgp, PgpKeyExpiryService expiry)
{
    /// <summary>Public: recipients check the signature of encrypted messages against it, and encrypt replies with it.</summary>
    [Function(nameof(GetPgpKey))]
    [ApiDoc("The directory's armoured OpenPGP public key (its fingerprint is in every message's footer).", TextContentType = "application/pgp-keys", Anonymous = true)]
    public Task<IActionResult> GetPgpKey([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "pgp-key")] HttpRequest req)
        => api.RunAnonymousAsync(req, () => Task.FromResult(ApiResult.Text(pgp.PublicKey, "application/pgp-keys")
            .WithHeader("Content-Disposition", "inline; filename=\"poc-directory.asc\"")));

    /// <summary>Daily in Azure; its schedule is the app setting PgpExpiryNoticeSchedule.</summary>
    [Function(nameof(TellFocalPointsOfExpiringKeys))]
    public Task TellFocalPointsOfExpiringKeys([TimerTrigger("%PgpExpiryNoticeSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
        => expiry.TellFocalPointsAsync(cancellationToken);
}
