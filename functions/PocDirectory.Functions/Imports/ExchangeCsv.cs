using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using PocDirectory.Functions.Api;

namespace PocDirectory.Functions.Imports;

/// <summary>Reads a regional directory's CSV list: a header row of exchange column names, then one POC a row.</summary>
public static class ExchangeCsv
{
    /// <summary>The entries of <paramref name="csv"/>; a 400 on field "csv" naming the line for an unknown column or broken quoting.</summary>
    public static IReadOnlyList<ExchangeEntry> Read(string csv)
    {
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            TrimOptions = TrimOptions.Trim,
            BadDataFound = args => throw Malformed(args.Context.Parser?.RawRow ?? 0, "a quote in an unquoted field or an unclosed quote"),
        };
        using var reader = new StringReader(csv);
        using var parser = new CsvParser(reader, configuration);
        try
        {
            if (!parser.Read())
            {
                throw RequestValidationException.For("csv", "The CSV text is empty; its first line names the columns.");
            }

            var header = parser.Record!.Select(h => h.Trim().ToLowerInvariant()).ToArray();
            if (header.FirstOrDefault(h => !ExchangeEntry.Columns.Contains(h)) is { } unknown)
            {
                throw RequestValidationException.For("csv", $"Unknown column '{unknown}' on line 1; the columns are {string.Join(", ", ExchangeEntry.Columns)}.");
            }

            if (header.GroupBy(h => h).FirstOrDefault(g => g.Count() > 1) is { } repeated)
            {
                throw RequestValidationException.For("csv", $"The column '{repeated.Key}' appears twice on line 1.");
            }

            var entries = new List<ExchangeEntry>();
            while (parser.Read())
            {
                var record = parser.Record!;
                if (record.All(string.IsNullOrWhiteSpace))
                {
                    continue;
                }

                if (record.Length != header.Length)
                {
                    throw Malformed(parser.RawRow, $"{record.Length} fields where the header has {header.Length}");
                }

                entries.Add(ExchangeEntry.FromColumns(header.Zip(record).ToDictionary(p => p.First, p => (string?)p.Second, StringComparer.Ordinal)));
            }

            return entries;
        }
        catch (CsvHelperException e)
        {
            throw Malformed(e.Context?.Parser?.RawRow ?? 0, "the text could not be read as CSV");
        }
    }

    private static RequestValidationException Malformed(long line, string problem)
        => RequestValidationException.For("csv", $"Malformed CSV on line {line}: {problem}.");
}
