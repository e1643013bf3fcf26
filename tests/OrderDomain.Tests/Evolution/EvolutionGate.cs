using EventSourcing.EventStore;
using EventSourcing.SchemaTools.Catalog;
using EventSourcing.SchemaTools.Discovery;

namespace EventSourcing.OrderDomain.Tests.Evolution;

/// <summary>The CI gate over one evolution, as <c>schema-tools generate</c> then <c>check</c> run it.</summary>
internal static class EvolutionGate
{
    /// <summary><c>schema-tools check</c>: a catalog generated from release 1 and then from today's types, checked with today's upcasters.</summary>
    public static IReadOnlyList<CheckFinding> Run(Evolution evolution)
    {
        var directory = Directory.CreateTempSubdirectory("evolution-gate-");
        try
        {
            var release1 = new EventStoreOptions();
            release1.Events.Register<Inventory.Release1.StockReceived>().Register<Inventory.Release1.StockMoved>();
            var today = new EventStoreOptions();
            evolution.Configure(today.Events);
            var catalog = SchemaCatalog.Load(directory.FullName);
            CatalogGenerate.Run(catalog, Current(release1));
            foreach (var subject in catalog.Subjects.ToList())
                catalog.SetCompatibility(subject.Name, evolution.Level);
            var current = Current(today);
            CatalogGenerate.Run(catalog, current);
            var source = new EventTypeSource([], today.Events, null, evolution.Name);
            return CatalogCheck.Run(SchemaCatalog.Load(directory.FullName), current, source.Upcasters);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static IReadOnlyList<CurrentSchema> Current(EventStoreOptions options) =>
        CurrentSchemas.From(options.Events.Registrations.Select(r => new SchemaTools.Generation.EventType(r.ClrType, r.Name, r.SchemaVersion)));

}
