using System.Globalization;

namespace EventSourcing.Projections.Definitions;

/// <summary>
/// Declares a read model: per event type, how to find the document key and how to apply the event.
/// All functions are pure. Documents are best immutable records changed with <c>with</c>.
/// </summary>
/// <example><code>
/// public sealed class OrderSearch : ReadModelProjection&lt;OrderDocument&gt;
/// {
///     public OrderSearch() : base("order_search", version: 1)
///     {
///         Create&lt;OrderPlaced&gt;(e => e.OrderId, e => new OrderDocument(e.OrderId, "placed"));
///         Project&lt;OrderShipped&gt;(e => e.OrderId, (doc, e) => doc with { Status = "shipped" });
///         Delete&lt;OrderPurged&gt;(e => e.OrderId);
///     }
/// }
/// </code></example>
public abstract class ReadModelProjection<TDocument> : IReadModelProjection where TDocument : class
{
    private readonly Dictionary<Type, Handler> _handlers = [];

    protected ReadModelProjection(string name, int version)
    {
        Name = ProjectionNames.Validate(name);
        if (version < 1)
            throw new ArgumentOutOfRangeException(nameof(version), version, $"projection '{name}': version must be 1 or more");
        Version = version;
    }

    public string Name { get; }

    public int Version { get; }

    public Type DocumentType => typeof(TDocument);

    public IReadOnlyCollection<Type> EventTypes => _handlers.Keys;

    public SearchIndexDefinition? SearchIndex { get; protected set; }

    /// <summary>Use as the key selector to key documents by the event's stream id.</summary>
    protected static ByStream ByStream => ByStream.Instance;

    /// <summary>The event creates (or replaces) the document.</summary>
    protected void Create<TEvent>(Func<TEvent, object> key, Func<TEvent, TDocument> create) =>
        Add<TEvent>((e, _) => key(e), (_, e, _) => create(e));

    protected void Create<TEvent>(ByStream key, Func<TEvent, TDocument> create) =>
        Add<TEvent>(StreamKey, (_, e, _) => create(e));

    /// <summary>The event changes an existing document; a missing document is a poison event.</summary>
    protected void Project<TEvent>(Func<TEvent, object> key, Func<TDocument, TEvent, TDocument> apply) =>
        Add<TEvent>((e, _) => key(e), (doc, e, m) => apply(Require(doc, m), e));

    protected void Project<TEvent>(ByStream key, Func<TDocument, TEvent, TDocument> apply) =>
        Add<TEvent>(StreamKey, (doc, e, m) => apply(Require(doc, m), e));

    /// <summary>The general form: the document may be absent; return null to delete it.</summary>
    protected void Upsert<TEvent>(Func<TEvent, object> key, Func<TDocument?, TEvent, TDocument?> apply) =>
        Add<TEvent>((e, _) => key(e), (doc, e, _) => apply(doc, e));

    protected void Upsert<TEvent>(ByStream key, Func<TDocument?, TEvent, TDocument?> apply) =>
        Add<TEvent>(StreamKey, (doc, e, _) => apply(doc, e));

    /// <summary>The event deletes the document.</summary>
    protected void Delete<TEvent>(Func<TEvent, object> key) => Add<TEvent>((e, _) => key(e), (_, _, _) => null);

    protected void Delete<TEvent>(ByStream key) => Add<TEvent>(StreamKey, (_, _, _) => null);

    public string KeyOf(ProjectedEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var key = Find(@event).Key(@event.Data, @event);
        return key switch
        {
            null => throw Failure(@event, "the key selector returned null"),
            Guid g when g == Guid.Empty => throw Failure(@event, "the key selector returned an empty Guid"),
            Guid g => g.ToString("D"),
            string s when string.IsNullOrWhiteSpace(s) => throw Failure(@event, "the key selector returned an empty string"),
            string s => s,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => key.ToString() ?? throw Failure(@event, "the key has no string form"),
        };
    }

    public object? Apply(object? document, ProjectedEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        if (document is not null and not TDocument)
            throw Failure(@event, $"the stored document is a {document.GetType().Name}, not a {typeof(TDocument).Name}");
        return Find(@event).Apply((TDocument?)document, @event.Data, @event);
    }

    private void Add<TEvent>(Func<TEvent, ProjectedEvent, object?> key, Func<TDocument?, TEvent, ProjectedEvent, TDocument?> apply)
    {
        if (!_handlers.TryAdd(typeof(TEvent), new Handler((e, m) => key((TEvent)e, m), (d, e, m) => apply(d, (TEvent)e, m))))
            throw new InvalidOperationException($"projection '{Name}' already handles {typeof(TEvent).Name}");
    }

    private static object? StreamKey<TEvent>(TEvent _, ProjectedEvent e) => e.StreamKey;

    private Handler Find(ProjectedEvent e) =>
        _handlers.TryGetValue(e.Data.GetType(), out var handler)
            ? handler
            : throw Failure(e, $"the event type {e.Data.GetType().Name} has no handler");

    private TDocument Require(TDocument? doc, ProjectedEvent e) =>
        doc ?? throw Failure(e, $"no {typeof(TDocument).Name} exists for key '{KeyOf(e)}'");

    private ProjectionException Failure(ProjectedEvent e, string reason) =>
        new($"projection '{Name}', event {e.EventTypeName} #{e.Sequence} (stream {e.StreamKey}): {reason}");

    private sealed record Handler(Func<object, ProjectedEvent, object?> Key, Func<TDocument?, object, ProjectedEvent, TDocument?> Apply);
}
