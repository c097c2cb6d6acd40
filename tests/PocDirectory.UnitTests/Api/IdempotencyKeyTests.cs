using Microsoft.AspNetCore.Http;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Storage;

namespace PocDirectory.UnitTests.Api;

public sealed class IdempotencyKeyTests
{
    [Theory]
    [InlineData("8e03978e-40d5-43e8-bc93-6894a57f9324", "8e03978e-40d5-43e8-bc93-6894a57f9324")]
    [InlineData("\"8e03978e-40d5-43e8-bc93-6894a57f9324\"", "8e03978e-40d5-43e8-bc93-6894a57f9324")]
    [InlineData("  form:poc.2026_12_01  ", "form:poc.2026_12_01")]
    public void From_WellFormedKey_ReturnsItUnquoted(string header, string expected)
        => Assert.Equal(expected, IdempotencyKey.From(RequestWith(header)));

    [Theory]
    [InlineData("")]
    [InlineData("seven77")]
    [InlineData("\"\"")]
    [InlineData("with space inside it")]
    [InlineData("\"open-quote-only")]
    [InlineData("two,keys-in-one-header")]
    [InlineData("ünïcödé-key-value")]
    public void From_MalformedKey_IsAFieldError(string header)
    {
        var error = Assert.Throws<RequestValidationException>(() => IdempotencyKey.From(RequestWith(header)));
        Assert.True(error.Errors.ContainsKey(IdempotencyKey.Header));
    }

    [Fact]
    public void From_TwoHeaders_IsAFieldError()
    {
        var request = new DefaultHttpContext().Request;
        request.Headers[IdempotencyKey.Header] = new Microsoft.Extensions.Primitives.StringValues(["first-key-value", "second-key-value"]);

        Assert.Throws<RequestValidationException>(() => IdempotencyKey.From(request));
    }

    [Fact]
    public void From_NoHeader_IsNull() => Assert.Null(IdempotencyKey.From(new DefaultHttpContext().Request));

    [Fact]
    public void Fingerprint_DiffersByMethodPathAndEveryByteOfTheBody()
    {
        var body = "{\"name\":\"a\"}"u8.ToArray();
        var fingerprint = IdempotencyStore.Fingerprint("POST", "/api/pocs", body);

        Assert.Equal(fingerprint, IdempotencyStore.Fingerprint("POST", "/api/pocs", body));
        Assert.NotEqual(fingerprint, IdempotencyStore.Fingerprint("POST", "/api/campaigns", body));
        Assert.NotEqual(fingerprint, IdempotencyStore.Fingerprint("PUT", "/api/pocs", body));
        Assert.NotEqual(fingerprint, IdempotencyStore.Fingerprint("POST", "/api/pocs", "{\"name\":\"b\"}"u8.ToArray()));
    }

    private static HttpRequest RequestWith(string header)
    {
        var request = new DefaultHttpContext().Request;
        request.Headers[IdempotencyKey.Header] = header;
        return request;
    }
}
