using System.Globalization;
using System.Text.RegularExpressions;
using CsvHelper;
using CsvHelper.Configuration;

namespace PocDirectory.Functions.Export;

/// <summary>
/// The one way this app writes CSV, for files people open in a spreadsheet (the directory export, campaign reports).
/// A cell that starts with =, +, -, @, a tab or a carriage return runs as a formula, so CsvHelper's injection
/// protection prefixes it with a quote ('). Every field is quoted as well: where the locale's separator is ';' a
/// spreadsheet splits unquoted cells on ';' and a later piece such as "a;=cmd()" would start a new cell with a formula;
/// inside quotes it stays in its cell for a reader that uses ','. A reader set to ';' does not see those quotes as
/// quotes: it splits the cell at each ';', starts a new row at each line break, and may strip quotes. So a formula
/// character after ';' or ',' (or after quotes that open the cell) gets the same quote prefix, and a line break is
/// written as a space; each piece a foreign separator can cut off then starts with text too.
/// </summary>
public static partial class SpreadsheetCsv
{
    private static readonly CsvConfiguration Configuration = new(CultureInfo.InvariantCulture)
    {
        InjectionOptions = InjectionOptions.Escape,
        ShouldQuote = _ => true,
    };

    /// <summary>Writes the rows, each a list of cells (null is an empty cell), and returns the file's text.</summary>
    public static string Write(IEnumerable<IEnumerable<string?>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new CsvWriter(writer, Configuration))
        {
            foreach (var row in rows)
            {
                foreach (var cell in row)
                {
                    csv.WriteField(FormulaAfterSeparator().Replace((cell ?? string.Empty).ReplaceLineEndings(" "), "$1'"));
                }

                csv.NextRecord();
            }
        }

        return writer.ToString();
    }

    [GeneratedRegex("([;,]\"*|^\"+)(?=[=+\\-@\t])", RegexOptions.CultureInvariant)]
    private static partial Regex FormulaAfterSeparator();
}
