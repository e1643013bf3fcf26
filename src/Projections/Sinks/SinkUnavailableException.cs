namespace EventSourcing.Projections.Sinks;

/// <summary>Thrown by a sink when the whole store is unreachable (connection refused, timeouts, 5xx on every item).</summary>
public sealed class SinkUnavailableException : Exception
{
    public SinkUnavailableException(string message) : base(message) { }

    public SinkUnavailableException(string message, Exception inner) : base(message, inner) { }

    public SinkUnavailableException() { }
}
