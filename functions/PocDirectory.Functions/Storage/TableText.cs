using Azure.Data.Tables;

namespace PocDirectory.Functions.Storage;

/// <summary>Text longer than one Table Storage string (32K characters) kept in numbered columns of one entity.</summary>
public static class TableText
{
    private const int PartLength = 30_000;

    public static void Write(TableEntity entity, string name, string? text)
    {
        if (text is null)
        {
            return;
        }

        var parts = text.Chunk(PartLength).Select(chunk => new string(chunk)).ToList();
        entity[name + "Parts"] = parts.Count;
        for (var i = 0; i < parts.Count; i++)
        {
            entity[$"{name}{i}"] = parts[i];
        }
    }

    public static string? Read(TableEntity entity, string name)
        => entity.GetInt32(name + "Parts") is { } count
            ? string.Concat(Enumerable.Range(0, count).Select(i => entity.GetString($"{name}{i}")))
            : null;
}
