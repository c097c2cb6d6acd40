using Microsoft.AspNetCore.Http;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Roles;

namespace PocDirectory.Functions.Security;

/// <summary>Turns the request's bearer token into a <see cref="Caller"/> with the roles stored in the directory.</summary>
public sealed class CallerResolver(TokenService tokens, RoleAssignmentService roles)
{
    /// <summary>
    /// Azure Static Web Apps replaces the Authorization header on requests it forwards to a linked backend, so the
    /// portal sends the user's token in this header as well; it is validated exactly like Authorization.
    /// </summary>
    public const string PortalAuthorizationHeader = "X-Poc-Authorization";

    public async Task<Caller> ResolveAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var portal = request.Headers[PortalAuthorizationHeader].ToString();
        var header = portal.Length > 0 ? portal : request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= "Bearer ".Length)
        {
            throw new UnauthenticatedException("Sign in: send an Authorization: Bearer token.");
        }

        var user = await tokens.ValidateAsync(header["Bearer ".Length..].Trim());
        return new Caller(user.Email, user.Name, await roles.RolesOfAsync(user, cancellationToken), user.Subject);
    }
}
