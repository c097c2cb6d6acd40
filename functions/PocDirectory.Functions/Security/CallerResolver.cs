using Microsoft.AspNetCore.Http;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Roles;

namespace PocDirectory.Functions.Security;

/// <summary>Turns the request's bearer token into a <see cref="Caller"/> with the roles stored in the directory.</summary>
public sealed class CallerResolver(TokenService tokens, RoleStore roles)
{
    public async Task<Caller> ResolveAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= "Bearer ".Length)
        {
            throw new UnauthenticatedException("Sign in: send an Authorization: Bearer token.");
        }

        var identity = await tokens.ValidateAsync(header["Bearer ".Length..].Trim());
        var email = TokenService.EmailOf(identity)
            ?? throw new UnauthenticatedException("The token carries no email, preferred_username or upn claim.");
        var assignments = await roles.ForUserAsync(email, cancellationToken);
        return new Caller(email.ToLowerInvariant(), identity.FindFirst("name")?.Value, assignments);
    }
}
