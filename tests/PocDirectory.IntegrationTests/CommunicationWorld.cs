using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PocDirectory.IntegrationTests;

/// <summary>
/// Three fresh participants for one communication test: ISL (a technical POC and a signed-in focal point) sends to NOR
/// (two technical and two diplomatic POCs, a focal point, and a signed-in technical POC); a third State's focal point
/// may see nothing.
/// </summary>
internal sealed record CommunicationWorld(
    DateTimeOffset Start, string Isl, string Nor, HttpClient IslFocalPoint, string IslFocalPointEmail, string[] NorTechnical, string[] NorTechnicalIds,
    string[] NorDiplomatic, string NorFocalPointEmail, HttpClient NorPoc, HttpClient ThirdFocalPoint, string Tag)
{
    /// <summary>Every address of the receiving side, where a communication (or a second one) would arrive.</summary>
    public IReadOnlyList<string> NorAddresses => [.. NorTechnical, .. NorDiplomatic, NorFocalPointEmail];

    public static async Task<CommunicationWorld> CreateAsync(DirectoryFixture fixture)
    {
        var start = DateTimeOffset.UtcNow.AddSeconds(-1);
        var isl = await fixture.NewParticipantAsync();
        var nor = await fixture.NewParticipantAsync();
        var third = await fixture.NewParticipantAsync();
        async Task<string> PocAsync(string participant, string kind, string email)
            => (await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant, kind).With("emails", new JsonArray(email)))).Poc["id"]!.GetValue<string>();
        var tag = Guid.NewGuid().ToString("N")[..8];
        await PocAsync(isl, "Technical", $"isl-poc-{tag}@example.org");
        string[] technical = [$"nor-t1-{tag}@example.org", $"nor-t2-{tag}@example.org"];
        string[] diplomatic = [$"nor-d1-{tag}@example.org", $"nor-d2-{tag}@example.org"];
        var technicalIds = new[] { await PocAsync(nor, "Technical", technical[0]), await PocAsync(nor, "Technical", technical[1]) };
        foreach (var d in diplomatic)
        {
            await PocAsync(nor, "Diplomatic", d);
        }

        var islFp = $"isl-fp-{tag}@example.org";
        var norFp = $"nor-fp-{tag}@example.org";
        await GrantAsync(fixture, islFp, "FocalPoint", isl);
        await GrantAsync(fixture, $"nor-t1-user-{tag}@example.org", "Poc", pocId: technicalIds[0]);
        await GrantAsync(fixture, norFp, "FocalPoint", nor);
        await GrantAsync(fixture, $"third-fp-{tag}@example.org", "FocalPoint", third);
        return new CommunicationWorld(start, isl, nor, await fixture.Runner.ClientForAsync(islFp), islFp, technical, technicalIds, diplomatic, norFp,
            await fixture.Runner.ClientForAsync($"nor-t1-user-{tag}@example.org"), await fixture.Runner.ClientForAsync($"third-fp-{tag}@example.org"), tag);
    }

    /// <summary>Gives <paramref name="email"/> a role; returns the assignment's id (to remove it again).</summary>
    public static async Task<string> GrantAsync(DirectoryFixture fixture, string email, string role, string? participant = null, string? pocId = null)
    {
        using var response = await fixture.SecretariatClient.PostAsJsonAsync("api/role-assignments", new { email, role, participant, pocId });
        response.EnsureSuccessStatusCode();
        return (await response.ReadJsonAsync())["id"]!.ToString();
    }
}
