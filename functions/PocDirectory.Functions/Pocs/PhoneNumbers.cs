using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using PhoneNumbers;

namespace PocDirectory.Functions.Pocs;

public static class PhoneNumberRules
{
    // E.164 caps numbers at 15 digits. The floor of 8 catches truncated entries early; it also excludes the few
    // territories with 7-digit international numbers (Niue, Tokelau), which are not directory participants.
    private const int MinDigits = 8;
    private const int MaxDigits = 15;

    /// <summary>The shape a number must have before libphonenumber looks at it; the OpenAPI document gives it to clients.</summary>
    public const string E164Shape = @"^\+[1-9][0-9]{7,14}$";

    private const string FormatError = "Phone numbers must be in E.164 form, e.g. +41227917000.";

    private static readonly PhoneNumberUtil _util = PhoneNumberUtil.GetInstance();

    public static bool TryValidateE164(string? number, out string? error)
    {
        if (string.IsNullOrWhiteSpace(number) || !HasE164Shape(number))
        {
            error = FormatError;
            return false;
        }

        var digits = number.Length - 1;
        if (digits > MaxDigits)
        {
            // Not echoed: an arbitrarily long digit string makes a useless message.
            error = "Phone numbers have at most 15 digits after the +.";
            return false;
        }

        if (digits < MinDigits || !TryParseValid(number, out var parsed))
        {
            error = NotValid(number);
            return false;
        }

        // libphonenumber forgives a trunk prefix written after the country code (+44 0...), which dialling from
        // abroad does not; only the canonical form is stored, so point the user at it.
        var canonical = _util.Format(parsed, PhoneNumberFormat.E164);
        if (!string.Equals(canonical, number, StringComparison.Ordinal))
        {
            error = string.Create(CultureInfo.InvariantCulture, $"{number} is not a valid phone number. Did you mean {canonical}?");
            return false;
        }

        error = null;
        return true;
    }

    private static bool HasE164Shape(string number) =>
        number.Length > 1 && number[0] == '+' && number.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0;

    private static bool TryParseValid(string number, [NotNullWhen(true)] out PhoneNumber? parsed)
    {
        try
        {
            // No default region: the leading + already names the country.
            parsed = _util.Parse(number, null);
        }
        catch (NumberParseException)
        {
            parsed = null;
            return false;
        }

        return _util.IsValidNumber(parsed);
    }

    private static string NotValid(string number) =>
        string.Create(CultureInfo.InvariantCulture, $"{number} is not a valid phone number.");
}
