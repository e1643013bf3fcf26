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

    // The handler found last: events of one type often come in runs, and this skips the dictionary for them.
    // One reference, so a concurrent reader sees either the old or the new handler, never half of one.
    private Handler? _last;

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
        Add(new Handler<TEvent>(NotNull(key), create: NotNull(create)));

    protected void Create<TEvent>(ByStream key, Func<TEvent, TDocument> create) =>
        Add(new Handler<TEvent>(null, create: NotNull(create)));

    /// <summary>The event changes an existing document; a missing document is a poison event.</summary>
    protected void Project<TEvent>(Func<TEvent, object> key, Func<TDocument, TEvent, TDocument> apply) =>
        Add(new Handler<TEvent>(NotNull(key), project: NotNull(apply)));

    protected void Project<TEvent>(ByStream key, Func<TDocument, TEvent, TDocument> apply) =>
        Add(new Handler<TEvent>(null, project: NotNull(apply)));

    /// <summary>The general form: the document may be absent; return null to delete it.</summary>
    protected void Upsert<TEvent>(Func<TEvent, object> key, Func<TDocument?, TEvent, TDocument?> apply) =>
        Add(new Handler<TEvent>(NotNull(key), upsert: NotNull(apply)));

    protected void Upsert<TEvent>(ByStream key, Func<TDocument?, TEvent, TDocument?> apply) =>
        Add(new Handler<TEvent>(null, upsert: NotNull(apply)));

    /// <summary>The event deletes the document.</summary>
    protected void Delete<TEvent>(Func<TEvent, object> key) => Add(new Handler<TEvent>(NotNull(key)));

    protected void Delete<TEvent>(ByStream key) => Add(new Handler<TEvent>(null));

    public string KeyOf(ProjectedEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var key = Find(@event).Key(@event);
        if (key is string s)
            return string.IsNullOrWhiteSpace(s) ? throw Failure(@event, "the key selector returned an empty string") : s;
        return key switch
        {
            null => throw Failure(@event, "the key selector returned null"),
            Guid g when g == Guid.Empty => throw Failure(@event, "the key selector returned an empty Guid"),
            Guid g => g.ToString("D"),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => key.ToString() ?? throw Failure(@event, "the key has no string form"),
        };
    }

    public object? Apply(object? document, ProjectedEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        if (document is not null and not TDocument)
            throw Failure(@event, $"the stored document is a {document.GetType().Name}, not a {typeof(TDocument).Name}");
        var handler = Find(@event);
        if (handler.RequiresDocument && document is null)
            throw Failure(@event, $"no {typeof(TDocument).Name} exists for key '{KeyOf(@event)}'");
        return handler.Apply((TDocument?)document, @event);
    }

    private void Add(Handler handler)
    {
        if (!_handlers.TryAdd(handler.EventType, handler))
            throw new InvalidOperationException($"projection '{Name}' already handles {handler.EventType.Name}");
    }

    private static T NotNull<T>(T value) where T : class => value ?? throw new ArgumentNullException(nameof(value));

    private Handler Find(ProjectedEvent e)
    {
        var type = e.Data.GetType();
        var last = _last;
        if (last is not null && last.EventType == type)
            return last;
        if (!_handlers.TryGetValue(type, out var handler))
            throw Failure(e, $"the event type {type.Name} has no handler");
        _last = handler;
        return handler;
    }

    private ProjectionException Failure(ProjectedEvent e, string reason) =>
        new($"projection '{Name}', event {e.EventTypeName} #{e.Sequence} (stream {e.StreamKey}): {reason}");

    /// <summary>How one event type is keyed and applied: one virtual call and one delegate call per event.</summary>
    private abstract class Handler(Type eventType, bool requiresDocument)
    {
        public Type EventType { get; } = eventType;

        /// <summary>True for <c>Project</c>: a missing document is a poison event.</summary>
        public bool RequiresDocument { get; } = requiresDocument;

        public abstract object? Key(ProjectedEvent e);

        public abstract TDocument? Apply(TDocument? document, ProjectedEvent e);
    }

    /// <summary>Exactly one of <c>create</c>, <c>project</c> and <c>upsert</c> is set, or none for a delete; a null key means the stream id.</summary>
    private sealed class Handler<TEvent>(
        Func<TEvent, object>? key,
        Func<TEvent, TDocument>? create = null,
        Func<TDocument, TEvent, TDocument>? project = null,
        Func<TDocument?, TEvent, TDocument?>? upsert = null) : Handler(typeof(TEvent), project is not null)
    {
        public override object? Key(ProjectedEvent e) => key is null ? e.StreamKey : key((TEvent)e.Data);

        public override TDocument? Apply(TDocument? document, ProjectedEvent e)
        {
            if (project is not null)
                return project(document!, (TEvent)e.Data);
            if (create is not null)
                return create((TEvent)e.Data);
            return upsert?.Invoke(document, (TEvent)e.Data);
        }
    }
}
