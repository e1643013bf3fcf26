using EventSourcing.EventStore.Upcasting;
using JasperFx;
using JasperFx.Events;
using Marten;
using Weasel.Core;

namespace EventSourcing.EventStore.Configuration;

/// <summary>
/// The one place that turns <see cref="EventStoreOptions"/> into Marten <see cref="StoreOptions"/>:
/// Guid streams, quick append, all event metadata columns, System.Text.Json (camelCase, enums as
/// strings), every registered event type under its stored name, every upcaster through Marten's
/// upcasting (so it applies on every Marten read path, the async daemon included), a guard for every
/// older version no upcaster reads (<see cref="StaleVersionGuard"/>), then the
/// <see cref="EventStoreOptions.ConfigureMarten"/> hooks.
/// </summary>
public static class MartenConfiguration
{
    public static StoreOptions CreateStoreOptions(EventStoreOptions options)
    {
        var store = new StoreOptions();
        Apply(store, options);
        return store;
    }

    public static void Apply(StoreOptions store, EventStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        store.Connection(options.ConnectionString);
        store.DatabaseSchemaName = options.SchemaName;
        store.AutoCreateSchemaObjects = options.AutoCreateSchema ? AutoCreate.CreateOrUpdate : AutoCreate.None;
        store.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);

        store.Events.StreamIdentity = StreamIdentity.AsGuid;
        store.Events.AppendMode = EventAppendMode.Quick;
        store.Events.MetadataConfig.EnableAll();

        foreach (var registration in options.Events.Registrations)
            store.Events.MapEventType(registration.ClrType, registration.StoredName);

        var chain = new UpcastChain(options.Events);
        foreach (var upcaster in options.Events.Upcasters)
            store.Events.Upcast(new MartenUpcaster(upcaster, chain, chain.TargetClrType(upcaster.FromName, upcaster.FromVersion)));

        // An older version nobody upcasts is resolved by its stored name to a guard that rejects it, on every
        // Marten read path, instead of through the CLR type column to the current type with default values.
        foreach (var (current, storedVersion) in options.Events.StaleVersions())
            store.Events.Upcast(new StaleVersionGuard(current, storedVersion));

        store.Projections.Errors.SkipUnknownEvents = options.TolerantReader;
        store.Projections.RebuildErrors.SkipUnknownEvents = options.TolerantReader;

        // An event the daemon cannot read (an older version no upcaster reads, a payload that does not bind)
        // stops its shard with the error, as an unknown type does; Marten's default for continuous projections
        // would skip it into its own dead-letter table and the read model would silently miss it.
        store.Projections.Errors.SkipSerializationErrors = false;
        store.Projections.RebuildErrors.SkipSerializationErrors = false;

        foreach (var configure in options.MartenConfigurations)
            configure(store);
    }
}
