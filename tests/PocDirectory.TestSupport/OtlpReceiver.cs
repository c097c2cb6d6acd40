using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace PocDirectory.TestSupport;

/// <summary>One span as exported over OTLP: ids in hex, attributes as text.</summary>
public sealed record ExportedSpan(string TraceId, string SpanId, string ParentSpanId, string Name, int Kind, string Scope, IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// An OTLP/HTTP receiver (protobuf) for tests: the runner exports its traces, metrics and logs here. It keeps every
/// string of every payload (to show what left the process) and decodes spans. The protobuf wire format is read by
/// hand: a few field numbers of opentelemetry-proto are all a test needs.
/// </summary>
public sealed class OtlpReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<ExportedSpan> _spans = new();
    private readonly ConcurrentQueue<string> _strings = new();
    private readonly ConcurrentDictionary<string, int> _requests = new();

    private OtlpReceiver(int port)
    {
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseAddress.ToString());
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public Uri BaseAddress { get; }

    public IReadOnlyCollection<ExportedSpan> Spans => _spans;

    /// <summary>Every string found in any payload received (span names, attribute values, log bodies, metric names).</summary>
    public IReadOnlyCollection<string> Strings => _strings;

    /// <summary>Payloads received per signal path ("/v1/traces"...).</summary>
    public int RequestsTo(string path) => _requests.GetValueOrDefault(path);

    public static OtlpReceiver Start()
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new OtlpReceiver(FreePorts.Next());
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                // The port was taken between choosing and listening: choose again.
            }
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using (var body = new MemoryStream())
            {
                await context.Request.InputStream.CopyToAsync(body);
                var path = context.Request.Url!.AbsolutePath;
                Receive(path, body.ToArray());
                _requests.AddOrUpdate(path, 1, (_, n) => n + 1);
            }

            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    private void Receive(string path, byte[] payload)
    {
        CollectStrings(payload, 0);
        if (path.EndsWith("/v1/traces", StringComparison.Ordinal))
        {
            // ExportTraceServiceRequest.resource_spans(1) > ScopeSpans(2) > scope(1).name(1), spans(2).
            foreach (var resourceSpans in Fields(payload, 1))
            {
                foreach (var scopeSpans in Fields(resourceSpans, 2))
                {
                    var scope = Fields(scopeSpans, 1).Select(s => Text(Fields(s, 1).FirstOrDefault())).FirstOrDefault() ?? "";
                    foreach (var span in Fields(scopeSpans, 2))
                    {
                        _spans.Enqueue(Span(span, scope));
                    }
                }
            }
        }
    }

    private static ExportedSpan Span(byte[] span, string scope)
    {
        // Span: trace_id 1, span_id 2, parent_span_id 4, name 5, kind 6, attributes 9 (KeyValue: key 1, value 2 AnyValue).
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in Fields(span, 9))
        {
            attributes[Text(Fields(pair, 1).FirstOrDefault())] = AnyValue(Fields(pair, 2).FirstOrDefault());
        }

        var kind = (int)Varints(span, 6).FirstOrDefault();
        return new ExportedSpan(Hex(Fields(span, 1).FirstOrDefault()), Hex(Fields(span, 2).FirstOrDefault()), Hex(Fields(span, 4).FirstOrDefault()),
            Text(Fields(span, 5).FirstOrDefault()), kind, scope, attributes);
    }

    private static string AnyValue(byte[]? value)
    {
        if (value is null)
        {
            return "";
        }

        // AnyValue: string 1, bool 2, int 3, double 4 (and arrays/maps, shown by their strings).
        if (Fields(value, 1).FirstOrDefault() is { } text)
        {
            return Text(text);
        }

        var number = Varints(value, 3).Concat(Varints(value, 2)).Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
        return number ?? "";
    }

    private static string Text(byte[]? bytes) => bytes is null ? "" : Encoding.UTF8.GetString(bytes);

    private static string Hex(byte[]? bytes) => bytes is null ? "" : Convert.ToHexStringLower(bytes);

    /// <summary>The length-delimited fields with number <paramref name="field"/> of a message.</summary>
    private static List<byte[]> Fields(byte[] message, int field)
    {
        var found = new List<byte[]>();
        Walk(message, (number, wireType, bytes, _) =>
        {
            if (number == field && wireType == 2)
            {
                found.Add(bytes!);
            }
        });
        return found;
    }

    private static List<ulong> Varints(byte[] message, int field)
    {
        var found = new List<ulong>();
        Walk(message, (number, wireType, _, varint) =>
        {
            if (number == field && wireType == 0)
            {
                found.Add(varint);
            }
        });
        return found;
    }

    /// <summary>Every length-delimited field that is valid UTF-8 text is kept; those that parse as messages are walked too.</summary>
    private void CollectStrings(byte[] message, int depth)
    {
        if (depth > 12)
        {
            return;
        }

        Walk(message, (_, wireType, bytes, _) =>
        {
            if (wireType != 2 || bytes is null)
            {
                return;
            }

            if (IsText(bytes))
            {
                _strings.Enqueue(Encoding.UTF8.GetString(bytes));
            }

            if (TryWalk(bytes))
            {
                CollectStrings(bytes, depth + 1);
            }
        });
    }

    private static bool IsText(byte[] bytes)
    {
        try
        {
            var text = new UTF8Encoding(false, true).GetString(bytes);
            return text.Length > 0 && text.All(c => !char.IsControl(c) || c is '\n' or '\r' or '\t');
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static bool TryWalk(byte[] bytes)
    {
        try
        {
            Walk(bytes, (_, _, _, _) => { });
            return bytes.Length > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static void Walk(byte[] message, Action<int, int, byte[]?, ulong> visit)
    {
        var position = 0;
        while (position < message.Length)
        {
            var key = ReadVarint(message, ref position);
            var number = (int)(key >> 3);
            var wireType = (int)(key & 7);
            if (number == 0)
            {
                throw new FormatException("Field number 0.");
            }

            switch (wireType)
            {
                case 0:
                    visit(number, wireType, null, ReadVarint(message, ref position));
                    break;
                case 1:
                    Skip(message, ref position, 8);
                    break;
                case 5:
                    Skip(message, ref position, 4);
                    break;
                case 2:
                    var length = (int)ReadVarint(message, ref position);
                    if (length < 0 || position + length > message.Length)
                    {
                        throw new FormatException("Length beyond the message.");
                    }

                    visit(number, wireType, message[position..(position + length)], 0);
                    position += length;
                    break;
                default:
                    throw new FormatException($"Wire type {wireType}.");
            }
        }
    }

    private static void Skip(byte[] message, ref int position, int count)
    {
        if (position + count > message.Length)
        {
            throw new FormatException("Fixed field beyond the message.");
        }

        position += count;
    }

    private static ulong ReadVarint(byte[] message, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= message.Length)
            {
                throw new FormatException("Varint beyond the message.");
            }

            var b = message[position++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new FormatException("Varint too long.");
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
    }
}
