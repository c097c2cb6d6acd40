namespace PocDirectory.IntegrationTests;

/// <summary>
/// Fault tests that stop parts of the system run one after another (they are heavy, and their timing matters), each
/// with a runner, and where needed a storage emulator, of its own.
/// </summary>
[CollectionDefinition(Name)]
public sealed class FaultCollection
{
    public const string Name = "Faults";
}
