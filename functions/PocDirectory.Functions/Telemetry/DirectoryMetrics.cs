using System.Diagnostics.Metrics;

namespace PocDirectory.Functions.Telemetry;

/// <summary>
/// The directory's own measurements, for every feature of the delivery core alike: a campaign's are those tagged
/// <c>pocdirectory.feature=campaign</c>, a communication's time to acknowledge those tagged <c>communication</c>.
/// Tags carry feature names and step kinds only, never who was written to. Counted in activities that may run again
/// after a failure, so a count is "at least".
/// </summary>
public sealed class DirectoryMetrics
{
    public const string MeterName = "PocDirectory";

    private readonly Counter<long> _started;
    private readonly Counter<long> _closed;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _undeliverable;
    private readonly Counter<long> _acknowledged;
    private readonly Histogram<double> _timeToAcknowledge;

    public DirectoryMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _started = meter.CreateCounter<long>("pocdirectory.deliveries.started", "{delivery}", "Deliveries started (a campaign, a communication, a meeting's invitation...).");
        _closed = meter.CreateCounter<long>("pocdirectory.deliveries.closed", "{delivery}", "Deliveries closed, by whether they were cancelled.");
        _sent = meter.CreateCounter<long>("pocdirectory.messages.sent", "{message}", "Messages accepted by the mail system, by step (first, reminder).");
        _undeliverable = meter.CreateCounter<long>("pocdirectory.messages.undeliverable", "{recipient}", "Recipients every address of which was rejected.");
        _acknowledged = meter.CreateCounter<long>("pocdirectory.acknowledgements", "{acknowledgement}", "Answers recorded (the first one per recipient).");
        _timeToAcknowledge = meter.CreateHistogram<double>("pocdirectory.time_to_acknowledge", "s", "From the recipient's first message to its acknowledgement.");
    }

    public void DeliveryStarted(string feature) => _started.Add(1, Feature(feature));

    public void DeliveryClosed(string feature, bool cancelled) => _closed.Add(1, Feature(feature), new("pocdirectory.cancelled", cancelled));

    public void MessagesSent(string feature, int step, int count)
    {
        if (count > 0)
        {
            _sent.Add(count, Feature(feature), new("pocdirectory.step", step == Delivery.DeliverySteps.First ? "first" : "reminder"));
        }
    }

    public void Undeliverable(string feature, int count)
    {
        if (count > 0)
        {
            _undeliverable.Add(count, Feature(feature));
        }
    }

    public void Acknowledged(string feature, TimeSpan? sinceFirstMessage)
    {
        _acknowledged.Add(1, Feature(feature));
        if (sinceFirstMessage is { } taken && taken >= TimeSpan.Zero)
        {
            _timeToAcknowledge.Record(taken.TotalSeconds, Feature(feature));
        }
    }

    private static KeyValuePair<string, object?> Feature(string feature) => new("pocdirectory.feature", feature);
}
