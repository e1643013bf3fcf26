using System.CommandLine;
using EventSourcing.SchemaTools.Catalog;
using EventSourcing.SchemaTools.RegistrySync;
using EventSourcing.SchemaTools.Sampling;

namespace EventSourcing.SchemaTools.Cli;

internal static class CheckCommand
{
    public static Command Create(CliContext context)
    {
        var assembly = CommonOptions.Assembly();
        var space = CommonOptions.Namespace();
        var eventTypes = CommonOptions.EventTypes();
        var sample = new Option<string>("--sample-events")
        {
            Description = "PostgreSQL connection string of a live event store: read the newest stored events of every type and deserialise them with the current types and upcasters, reporting every failure.",
        };
        var perType = new Option<int>("--per-type")
        {
            Description = "How many of the newest events of each stored type --sample-events reads.",
            DefaultValueFactory = _ => 20,
        };
        var eventsSchema = new Option<string>("--events-schema")
        {
            Description = "The PostgreSQL schema of the event store's tables for --sample-events (EventStoreOptions.SchemaName).",
            DefaultValueFactory = _ => "eventstore",
        };
        var catalog = CommonOptions.Catalog();
        var format = CommonOptions.Format();
        var registry = CommonOptions.Registry(required: false);
        registry.Description = "Also check against the versions a live Confluent Schema Registry holds, under its levels (e.g. http://localhost:8081).";
        var command = new Command("check", """
            The CI gate. Generates the schema of every event type in the assembly and checks it against its
            subject's catalog versions under the subject's level (index.json), like the Confluent Schema Registry
            would. Also fails when the catalog is out of date with the code (run 'generate' and commit), and when a
            historical version the current type cannot read has no upcaster. With --registry, also checks against
            a live registry; with --sample-events, also reads stored events through the current types and
            upcasters. Under GitHub Actions (GITHUB_ACTIONS=true) each violation is also an ::error annotation
            (text format; --format json prints one JSON document only).
            Exit 0: every subject compatible. Exit 1: violations, one line each (subject: path: RULE: message).
            Exit 2: bad input (assembly missing, malformed catalog, unreachable registry or database).
            """)
        {
            assembly, space, eventTypes, catalog, format, registry, sample, perType, eventsSchema,
        };
        command.SetAction((result, ct) => CommonOptions.Guard(context, async () =>
        {
            var source = EventAssemblies.Resolve(result.GetValue(assembly)!, result.GetValue(space) ?? [], result.GetValue(eventTypes));
            var directory = result.GetValue(catalog)!.FullName;
            var current = CurrentSchemas.From(source.Events);
            var findings = new List<CheckFinding>(CatalogCheck.Run(SchemaCatalog.Load(directory), current, source.Upcasters));
            if (result.GetValue(registry) is { } url)
            {
                using var client = context.RegistryClient(url);
                findings.AddRange(await RegistryCheck.RunAsync(client, current, ct));
            }

            if (result.GetValue(sample) is { } connection)
                findings.AddRange(await StoredEventSampler.RunAsync(connection, result.GetValue(eventsSchema)!, source, result.GetValue(perType), ct));

            FindingWriter.Write(context, result.GetValue(format)!, findings, current.Count, directory, source.Description);
            return findings.Count == 0 ? ExitCodes.Ok : ExitCodes.Incompatible;
        }));
        return command;
    }
}
