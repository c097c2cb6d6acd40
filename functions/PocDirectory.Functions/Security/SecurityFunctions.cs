using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.OpenApi;

namespace PocDirectory.Functions.Security;

public sealed record DevTokenRequest(string? Email, string? Name) : IApiExample<DevTokenRequest>
{
    public static DevTokenRequest Example { get; } = new("secretariat@example.org", "Secretariat (local)");
}

public sealed record DevTokenResponse(string Token);

/// <summary>Who the caller is: <see cref="Subject"/> is the stable identity (tenant + object id) their roles are bound to.</summary>
public sealed record CallerProfile(string Email, string? Name, IReadOnlyList<Roles.RoleAssignment> Roles, string? Subject);

[ApiTag("Sign-in", "Who the caller is; locally, development tokens.")]
public sealed class SecurityFunctions(ApiHandler api, TokenService tokens, IValidator<DevTokenRequest> validator, IOptions<AuthOptions> options)
{
    /// <summary>Who the caller is and what they may do; the portal builds its menus from this.</summary>
    [Function(nameof(GetMe))]
    [ApiDoc("Who the caller is and the roles they hold.", Response = typeof(CallerProfile))]
    public Task<IActionResult> GetMe([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me")] HttpRequest req)
        => api.RunAsync(req, caller => Task.FromResult(ApiResult.Ok(new CallerProfile(caller.Email, caller.Name, caller.Roles, caller.Subject))));

    /// <summary>Local use only: mints a token for any user. Without Auth:DevSigningKey it answers 404 like a route that is not there.</summary>
    [Function(nameof(CreateDevToken))]
    [ApiDoc("Local use only: a bearer token for any user (absent unless Auth:DevSigningKey is set).", Request = typeof(DevTokenRequest), Response = typeof(DevTokenResponse), Anonymous = true)]
    public Task<IActionResult> CreateDevToken([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "dev/token")] HttpRequest req)
    {
        if (!options.Value.DevTokensEnabled)
        {
            return Task.FromResult<IActionResult>(new NotFoundResult());
        }

        return api.RunAnonymousAsync<DevTokenRequest>(req, body =>
        {
            validator.ThrowIfInvalid(body);
            return Task.FromResult(ApiResult.Ok(new DevTokenResponse(tokens.MintDevToken(body.Email!.Trim(), body.Name))));
        });
    }
}
