namespace PocDirectory.Functions.Api;

/// <summary>The list shape every collection route answers with.</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, string? ContinuationToken);
