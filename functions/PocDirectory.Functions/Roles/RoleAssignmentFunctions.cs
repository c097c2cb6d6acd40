using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.OpenApi;

namespace PocDirectory.Functions.Roles;

[ApiTag("Roles", "Who may do what: the Secretariat, the focal points of a participant, the POCs themselves.")]
public sealed class RoleAssignmentFunctions(ApiHandler api, RoleAssignmentService roles)
{
    [Function(nameof(ListRoleAssignments))]
    [ApiDoc("Role assignments (Secretariat).", Response = typeof(ListPage<RoleAssignment>))]
    [ApiQuery("email", typeof(string), Description = "The user's sign-in address.")]
    [ApiQuery("role", typeof(Role))]
    [ApiQuery("participant", typeof(string), Description = "A participant code, e.g. SGP.")]
    public Task<IActionResult> ListRoleAssignments([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "role-assignments")] HttpRequest req)
        => api.RunAsync(req, async caller => ApiResult.Ok(await roles.ListAsync(
            caller, req.String("email", 254), req.Enum<Role>("role"), req.String("participant", 10), req.HttpContext.RequestAborted)));

    [Function(nameof(CreateRoleAssignment))]
    [ApiDoc("Gives a user a role (Secretariat).", Request = typeof(RoleAssignmentInput), Response = typeof(RoleAssignment), SuccessStatus = 201, Idempotent = true)]
    [ApiProblem(409, "The user already has this role.")]
    public Task<IActionResult> CreateRoleAssignment([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "role-assignments")] HttpRequest req)
        => api.RunCreateAsync<RoleAssignmentInput>(req, async (caller, input) =>
        {
            var created = await roles.CreateAsync(caller, input, req.HttpContext.RequestAborted);
            return ApiResult.Created($"/api/role-assignments/{created.Id}", created);
        });

    [Function(nameof(DeleteRoleAssignment))]
    [ApiDoc("Removes a role assignment, except the last Secretariat one (Secretariat); says when the removal takes effect everywhere.", Response = typeof(RoleRevocation))]
    [ApiProblem(409, "This is the last Secretariat assignment; assign the role to someone else first.")]
    public Task<IActionResult> DeleteRoleAssignment([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "role-assignments/{id}")] HttpRequest req, string id)
        => api.RunAsync(req, async caller => ApiResult.Ok(await roles.DeleteAsync(caller, id, req.HttpContext.RequestAborted)));
}
