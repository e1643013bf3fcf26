using System.CommandLine;
using EventSourcing.SchemaTools.Catalog;

namespace EventSourcing.SchemaTools.Cli;

internal static class GenerateCommand
{
    public static Command Create(CliContext context)
    {
        var assembly = CommonOptions.Assembly();
        var space = CommonOptions.Namespace();
        var eventTypes = CommonOptions.EventTypes();
        var catalog = CommonOptions.Catalog();
        var command = new Command("generate", """
            Generate the Avro schema of every event type ([EventName] classes) in the assembly and write each one
            that differs from its subject's latest catalog version as a new version (<catalog>/<subject>/v<N>.avsc),
            updating <catalog>/index.json. Unchanged subjects are left alone, so running it twice changes nothing.
            It does not judge compatibility: run 'schema-tools check' next, then commit the catalog.
            Exit 0: done. Exit 2: bad input (assembly missing, a type with no Avro mapping, a malformed index).
            """)
        {
            assembly, space, eventTypes, catalog,
        };
        command.SetAction((result, ct) => CommonOptions.Guard(context, async () =>
        {
            var source = EventAssemblies.Resolve(result.GetValue(assembly)!, result.GetValue(space) ?? [], result.GetValue(eventTypes));
            var events = source.Events;
            var directory = result.GetValue(catalog)!.FullName;
            var loaded = SchemaCatalog.Load(directory);
            var outcome = CatalogGenerate.Run(loaded, CurrentSchemas.From(events));
            foreach (var item in outcome)
            {
                await context.Output.WriteLineAsync(item.Changed
                    ? $"{item.Subject}: wrote v{item.Added!.Version} ({Path.Combine(directory, item.Added.File)})"
                    : $"{item.Subject}: unchanged (v{item.LatestVersion})");
            }

            await context.Output.WriteLineAsync($"schema-tools: {outcome.Count(o => o.Changed)} new version(s), {outcome.Count(o => !o.Changed)} unchanged subject(s); event types from {source.Description}.");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
