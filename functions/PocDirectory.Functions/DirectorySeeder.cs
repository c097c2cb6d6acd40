using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Roles;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions;

/// <summary>Creates the tables and seeds reference data and the bootstrap Secretariat; idempotent, so it runs at every start.</summary>
public sealed class DirectorySeeder(DirectoryTables tables, ParticipantStore participants, RoleAssignmentService roles, ILogger<DirectorySeeder> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await tables.CreateIfNotExistsAsync(cancellationToken);
        var added = await participants.SeedAsync(cancellationToken);
        await roles.EnsureBootstrapAsync(cancellationToken);
        logger.LogInformation("Directory ready; {Added} reference participants added", added);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
