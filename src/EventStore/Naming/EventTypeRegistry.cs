using System.Collections.Concurrent;
using System.Reflection;
using EventSourcing.EventStore.Upcasting;

namespace EventSourcing.EventStore.Naming;

/// <summary>
/// The event types the store knows: stable name and schema version to CLR type and back, plus the
/// upcasters that bring older stored versions to the current one. Configure it before the store is
/// built; Marten's event mapping and upcasting are derived from it (see
/// <see cref="Configuration.MartenConfiguration"/>).
/// </summary>
public sealed class EventTypeRegistry
{
    private readonly ConcurrentDictionary<string, EventTypeRegistration> _byName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Type, EventTypeRegistration> _byType = new();
    private readonly List<UpcasterRegistration> _upcasters = [];
    private readonly Lock _gate = new();

    /// <summary>Every registered event type, for tooling (e.g. Avro schema generation).</summary>
    public IReadOnlyCollection<EventTypeRegistration> Registrations =>
        _byType.Values.OrderBy(r => r.Name, StringComparer.Ordinal).ToArray();

    /// <summary>Every registered upcaster step.</summary>
    public IReadOnlyCollection<UpcasterRegistration> Upcasters
    {
        get
        {
            lock (_gate) return _upcasters.ToArray();
        }
    }

    /// <summary>Registers <typeparamref name="TEvent"/> under its <see cref="EventNameAttribute"/>.</summary>
    public EventTypeRegistry Register<TEvent>() where TEvent : class => Register(typeof(TEvent));

    /// <summary>Registers a type under its <see cref="EventNameAttribute"/>; the attribute is required.</summary>
    public EventTypeRegistry Register(Type eventType)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        var attribute = eventType.GetCustomAttribute<EventNameAttribute>()
            ?? throw new ArgumentException(
                $"event type '{eventType.FullName}' has no [EventName(\"...\")] attribute; give it a stable name or call Register(type, name, version)",
                nameof(eventType));
        return Register(eventType, attribute.Name, attribute.Version);
    }

    /// <summary>Registers a type under an explicit stable name and current schema version.</summary>
    public EventTypeRegistry Register(Type eventType, string name, int schemaVersion = 1)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (schemaVersion < 1)
            throw new ArgumentOutOfRangeException(nameof(schemaVersion), schemaVersion, $"schema version of event '{name}' must be 1 or more");
        if (StoredEventName.LooksVersioned(name))
            throw new ArgumentException($"event name '{name}' must not end in '_v<number>': that suffix is reserved for schema versions", nameof(name));
        if (eventType.IsAbstract || eventType.IsInterface)
            throw new ArgumentException($"event type '{eventType.FullName}' must be a concrete class", nameof(eventType));

        var registration = new EventTypeRegistration(name, schemaVersion, eventType);
        lock (_gate)
        {
            if (_byName.TryGetValue(name, out var existing) && existing.ClrType != eventType)
                throw new ArgumentException(
                    $"event name '{name}' is already registered for '{existing.ClrType.FullName}'; cannot register it again for '{eventType.FullName}'",
                    nameof(name));
            if (_byType.TryGetValue(eventType, out var byType) && byType != registration)
                throw new ArgumentException(
                    $"event type '{eventType.FullName}' is already registered as '{byType.Name}' v{byType.SchemaVersion}",
                    nameof(eventType));
            _byName[name] = registration;
            _byType[eventType] = registration;
        }

        return this;
    }

    /// <summary>Registers every concrete type carrying <see cref="EventNameAttribute"/> in the assembly.</summary>
    public EventTypeRegistry RegisterAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        foreach (var type in assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && t.IsDefined(typeof(EventNameAttribute), inherit: false)))
            Register(type);
        return this;
    }

    /// <summary>Registers every event type in the assembly that contains <typeparamref name="TMarker"/>.</summary>
    public EventTypeRegistry RegisterAssemblyOf<TMarker>() => RegisterAssembly(typeof(TMarker).Assembly);

    public bool TryGet(Type eventType, out EventTypeRegistration registration) =>
        _byType.TryGetValue(eventType, out registration!);

    public bool TryGet(string name, out EventTypeRegistration registration) =>
        _byName.TryGetValue(name, out registration!);

    /// <summary>The registration of a CLR type, or an <see cref="Validation.UnregisteredEventTypeException"/>.</summary>
    public EventTypeRegistration Get(Type eventType) =>
        TryGet(eventType, out var registration)
            ? registration
            : throw new Validation.UnregisteredEventTypeException(eventType);

    /// <summary>The registration of a stable name, or null.</summary>
    public EventTypeRegistration? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>
    /// Adds a step that turns a stored event <paramref name="name"/> at <paramref name="fromVersion"/>
    /// into its payload at <c>fromVersion + 1</c> (same name). Steps chain: 1 -> 2 -> 3.
    /// </summary>
    public EventTypeRegistry Upcast(string name, int fromVersion, Func<System.Text.Json.Nodes.JsonObject, System.Text.Json.Nodes.JsonObject> toNextVersion)
    {
        ArgumentNullException.ThrowIfNull(toNextVersion);
        return Add(new UpcasterRegistration(name, fromVersion, [new UpcastTarget(name, fromVersion + 1)],
            json => [new UpcastedPayload(name, fromVersion + 1, toNextVersion(json))]));
    }

    /// <summary>
    /// Declares that events stored as <paramref name="oldName"/> v<paramref name="oldVersion"/> are now
    /// <paramref name="newName"/> v<paramref name="newVersion"/>, optionally transforming the payload.
    /// </summary>
    public EventTypeRegistry Rename(string oldName, int oldVersion, string newName, int newVersion = 1,
        Func<System.Text.Json.Nodes.JsonObject, System.Text.Json.Nodes.JsonObject>? transform = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(newName);
        return Add(new UpcasterRegistration(oldName, oldVersion, [new UpcastTarget(newName, newVersion)],
            json => [new UpcastedPayload(newName, newVersion, transform is null ? json : transform(json))]));
    }

    /// <summary>
    /// Declares that one stored event (<paramref name="name"/> v<paramref name="version"/>) is now
    /// several events. <paramref name="targets"/> lists every (name, version) the split can produce.
    /// Readers of this library see the resulting events one by one, with the metadata of the original.
    /// </summary>
    public EventTypeRegistry Split(string name, int version, IReadOnlyList<UpcastTarget> targets,
        Func<System.Text.Json.Nodes.JsonObject, IReadOnlyList<UpcastedPayload>> split)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(split);
        if (targets.Count == 0)
            throw new ArgumentException($"split of '{name}' v{version} must name at least one target", nameof(targets));
        return Add(new UpcasterRegistration(name, version, targets, split, IsSplit: true));
    }

    /// <summary>
    /// True when a stored type name (as in the event log) is a registered current type or the source of
    /// an upcaster; readers fail on any other name unless the tolerant reader is on.
    /// </summary>
    public bool IsKnownStoredName(string storedName)
    {
        ArgumentNullException.ThrowIfNull(storedName);
        var (name, version) = StoredEventName.Parse(storedName);
        return (Find(name) is { } registration && registration.SchemaVersion == version) || HasUpcasterFrom(name, version);
    }

    /// <summary>Every stored type name readers accept: current types and upcaster sources.</summary>
    public IReadOnlyCollection<string> KnownStoredNames =>
        Registrations.Select(r => r.StoredName).Concat(Upcasters.Select(u => u.StoredName)).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// The stored type names of every older version of a registered type that no upcaster reads
    /// (<c>order.placed</c> when <c>order.placed</c> is at v2 and no upcaster from v1 is registered). Readers
    /// still select these events, and reject each with a <see cref="Upcasting.StaleEventVersionException"/>
    /// rather than bind its old JSON to the current type; the tolerant reader does not skip them.
    /// </summary>
    public IReadOnlyCollection<string> GuardedStoredNames =>
        StaleVersions().Select(v => StoredEventName.Format(v.Current.Name, v.StoredVersion)).ToArray();

    /// <summary>Every (current type, older version) pair with no upcaster from that version.</summary>
    internal IReadOnlyList<(EventTypeRegistration Current, int StoredVersion)> StaleVersions()
    {
        var list = new List<(EventTypeRegistration, int)>();
        foreach (var registration in Registrations)
        {
            for (var version = 1; version < registration.SchemaVersion; version++)
            {
                if (!HasUpcasterFrom(registration.Name, version))
                    list.Add((registration, version));
            }
        }

        return list;
    }

    /// <summary>Adds an upcaster step as it is (e.g. one read from another registry's <see cref="Upcasters"/>).</summary>
    public EventTypeRegistry AddUpcaster(UpcasterRegistration upcaster)
    {
        ArgumentNullException.ThrowIfNull(upcaster);
        return Add(upcaster);
    }

    /// <summary>Copies every registration and upcaster of <paramref name="other"/> into this registry.</summary>
    public EventTypeRegistry CopyFrom(EventTypeRegistry other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var registration in other.Registrations)
            Register(registration.ClrType, registration.Name, registration.SchemaVersion);
        foreach (var upcaster in other.Upcasters)
            Add(upcaster);
        return this;
    }

    /// <summary>Is there an upcaster from stored <paramref name="name"/> at <paramref name="version"/>?</summary>
    public bool HasUpcasterFrom(string name, int version)
    {
        lock (_gate) return _upcasters.Exists(u => u.FromName == name && u.FromVersion == version);
    }

    internal UpcasterRegistration? FindUpcaster(string name, int version)
    {
        lock (_gate) return _upcasters.Find(u => u.FromName == name && u.FromVersion == version);
    }

    private EventTypeRegistry Add(UpcasterRegistration upcaster)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(upcaster.FromName);
        if (upcaster.FromVersion < 1)
            throw new ArgumentOutOfRangeException(nameof(upcaster), upcaster.FromVersion, $"upcaster source version of '{upcaster.FromName}' must be 1 or more");
        lock (_gate)
        {
            if (_upcasters.Exists(u => u.FromName == upcaster.FromName && u.FromVersion == upcaster.FromVersion))
                throw new ArgumentException($"an upcaster from '{upcaster.FromName}' v{upcaster.FromVersion} is already registered", nameof(upcaster));
            _upcasters.Add(upcaster);
        }

        return this;
    }
}
