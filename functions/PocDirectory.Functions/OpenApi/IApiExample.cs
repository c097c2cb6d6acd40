namespace PocDirectory.Functions.OpenApi;

/// <summary>
/// A request body that carries its own example: the OpenAPI document shows it, and a test sends it to the server,
/// so the example is always one the validators accept.
/// </summary>
public interface IApiExample<TSelf>
    where TSelf : IApiExample<TSelf>
{
    static abstract TSelf Example { get; }
}
