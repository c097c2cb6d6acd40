using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace PocDirectory.Functions.Api;

/// <summary>Reads query-string values, naming the parameter in a ProblemDetails when one is malformed.</summary>
public static class QueryParameters
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public static string? String(this HttpRequest request, string name, int maxLength = 200)
    {
        var value = request.Query[name].ToString();
        if (value.Length > maxLength)
        {
            throw RequestValidationException.For(name, $"Must be at most {maxLength} characters.");
        }

        return value.Length == 0 ? null : value;
    }

    public static int PageSize(this HttpRequest request)
    {
        var value = request.String("pageSize");
        if (value is null)
        {
            return DefaultPageSize;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is >= 1 and <= MaxPageSize
            ? size
            : throw RequestValidationException.For("pageSize", $"Must be a whole number from 1 to {MaxPageSize}.");
    }

    public static string? ContinuationToken(this HttpRequest request) => request.String("continuationToken", 4096);

    public static DateTimeOffset? Timestamp(this HttpRequest request, string name)
    {
        var value = request.String(name);
        if (value is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.ToUniversalTime()
            : throw RequestValidationException.For(name, "Must be an ISO 8601 date and time, e.g. 2026-06-10T00:00:00Z.");
    }

    public static TEnum? Enum<TEnum>(this HttpRequest request, string name)
        where TEnum : struct, Enum
    {
        var value = request.String(name);
        if (value is null)
        {
            return null;
        }

        return System.Enum.TryParse<TEnum>(value, ignoreCase: true, out var parsed) && System.Enum.IsDefined(parsed) && !int.TryParse(value, out _)
            ? parsed
            : throw RequestValidationException.For(name, $"Must be one of: {string.Join(", ", System.Enum.GetNames<TEnum>())}.");
    }

    public static int? Int(this HttpRequest request, string name, int min, int max)
    {
        var value = request.String(name);
        if (value is null)
        {
            return null;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= min && parsed <= max
            ? parsed
            : throw RequestValidationException.For(name, $"Must be a whole number from {min} to {max}.");
    }
}
