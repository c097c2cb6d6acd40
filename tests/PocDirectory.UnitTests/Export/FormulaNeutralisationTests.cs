using PocDirectory.Functions.Export;

namespace PocDirectory.UnitTests.Export;

public sealed class FormulaNeutralisationTests
{
    [Theory]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+41227917000", "'+41227917000")]
    [InlineData("-2", "'-2")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\t=cmd", "'\t=cmd")]
    [InlineData("Ada Lovelace", "Ada Lovelace")]
    [InlineData("", "")]
    [InlineData("a=b", "a=b")]
    public void NeutraliseFormula_Cell_IsTextInSpreadsheets(string cell, string expected)
        => Assert.Equal(expected, ExportService.NeutraliseFormula(cell));
}
