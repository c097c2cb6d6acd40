namespace PocDirectory.IntegrationTests;

/// <summary>
/// The heavy fault tests (crashes, a storage outage, a flood), each with a runner, and where needed an Azurite, of its
/// own. They run one after another and alone, after the other collections: the flood keeps both cores busy for a
/// minute, and the crash and outage tests aim at moments of seconds in campaigns whose windows are a minute long.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultCollection
{
    public const string Name = "Faults";
}
