namespace EventSourcing.Projections.Sinks.Elasticsearch;

/// <summary>Invalid Elasticsearch settings, found at startup. The message names each setting and never contains a secret.</summary>
public sealed class ElasticsearchOptionsException : Exception
{
    public ElasticsearchOptionsException(IReadOnlyList<string> errors)
        : base("Invalid Elasticsearch settings:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)))
    {
        Errors = errors;
    }

    public ElasticsearchOptionsException() : this([]) { }

    public ElasticsearchOptionsException(string message) : base(message) => Errors = [message];

    public ElasticsearchOptionsException(string message, Exception innerException) : base(message, innerException) => Errors = [message];

    public IReadOnlyList<string> Errors { get; } = [];
}
