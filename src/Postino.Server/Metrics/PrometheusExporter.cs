using System.Diagnostics.Metrics;
using Prometheus;

namespace Postino.Server.Metrics;

/// <summary>
/// Publishes one <see cref="PostinoMetrics"/> meter in the Prometheus text format with prometheus-net: counters as
/// counters (<c>_total</c>), up-down counters and gauges as gauges, histograms with fixed buckets. Its own registry
/// (nothing else of the process leaks in), label names fixed by <see cref="PostinoMetrics.Labels"/>.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    private static readonly double[] SecondsBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Meter _meter;
    private readonly MeterListener _listener = new();
    private readonly IMetricFactory _factory;
    private readonly Dictionary<Instrument, Action<double, string[]>> _sinks = [];

    public PrometheusExporter(PostinoMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _meter = metrics.Meter;
        Registry = Prometheus.Metrics.NewCustomRegistry();
        _factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, _meter) && PostinoMetrics.Labels.TryGetValue(instrument.Name, out var labels))
            {
                lock (_sinks)
                {
                    _sinks[instrument] = CreateSink(instrument, labels);
                }

                listener.EnableMeasurementEvents(instrument, labels);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, state) => Record(instrument, value, tags, (string[])state!));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, state) => Record(instrument, value, tags, (string[])state!));
        _listener.Start();

        // Gauges observed at scrape time (certificate expiry, build info).
        Registry.AddBeforeCollectCallback(_listener.RecordObservableInstruments);
    }

    public CollectorRegistry Registry { get; }

    /// <summary>Writes every metric in the Prometheus text exposition format (version 0.0.4).</summary>
    public Task WriteAsync(Stream output, CancellationToken cancellationToken) => Registry.CollectAndExportAsTextAsync(output, cancellationToken);

    public void Dispose() => _listener.Dispose();

    private Action<double, string[]> CreateSink(Instrument instrument, string[] labels)
    {
        var help = instrument.Description ?? instrument.Name;
        switch (instrument)
        {
            case Counter<long> or Counter<double>:
                var counter = _factory.CreateCounter(instrument.Name + "_total", help, labels);
                return (value, values) => counter.WithLabels(values).Inc(value);
            case Histogram<double> or Histogram<long>:
                var histogram = _factory.CreateHistogram(instrument.Name, help, labels, new HistogramConfiguration { Buckets = SecondsBuckets });
                return (value, values) => histogram.WithLabels(values).Observe(value);
            case UpDownCounter<long> or UpDownCounter<double>:
                var sum = _factory.CreateGauge(instrument.Name, help, labels);
                return (value, values) => sum.WithLabels(values).Inc(value);
            default:
                var gauge = _factory.CreateGauge(instrument.Name, help, labels);
                return (value, values) => gauge.WithLabels(values).Set(value);
        }
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, string[] labels)
    {
        Action<double, string[]>? sink;
        lock (_sinks)
        {
            _sinks.TryGetValue(instrument, out sink);
        }

        if (sink is null)
        {
            return;
        }

        var values = new string[labels.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            values[i] = "";
            foreach (var tag in tags)
            {
                if (tag.Key == labels[i])
                {
                    values[i] = tag.Value?.ToString() ?? "";
                    break;
                }
            }
        }

        sink(value, values);
    }
}
