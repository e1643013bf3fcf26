namespace EventSourcing.Projections.Definitions;

/// <summary>A projection could not handle an event (missing key, missing document, unknown event type).</summary>
public sealed class ProjectionException : Exception
{
    public ProjectionException(string message) : base(message) { }

    public ProjectionException(string message, Exception inner) : base(message, inner) { }

    public ProjectionException() { }
}
