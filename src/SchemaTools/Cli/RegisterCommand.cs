using System.CommandLine;
using EventSourcing.SchemaTools.Catalog;
using EventSourcing.SchemaTools.RegistrySync;

namespace EventSourcing.SchemaTools.Cli;

internal static class RegisterCommand
{
    public static Command Create(CliContext context)
    {
        var registry = CommonOptions.Registry(required: true);
        var catalog = CommonOptions.Catalog();
        var command = new Command("register", """
            Register the catalog with a Confluent Schema Registry: set each subject's compatibility level from
            index.json, then register the versions the registry does not hold yet, oldest first. Idempotent:
            running it again registers nothing. Run it after 'check' passed, e.g. on merge to main.
            Exit 0: done. Exit 1: the registry rejected a version as incompatible. Exit 2: bad input or
            registry unreachable.
            """)
        {
            registry, catalog,
        };
        command.SetAction((result, ct) => CommonOptions.Guard(context, async () =>
        {
            var loaded = SchemaCatalog.Load(result.GetValue(catalog)!.FullName);
            if (loaded.Subjects.Count == 0)
                throw new CliInputException($"the catalog {loaded.Directory} is empty; run 'schema-tools generate' first.");
            using var client = context.RegistryClient(result.GetValue(registry)!);
            try
            {
                var outcomes = await RegistryRegister.RunAsync(client, loaded, ct);
                foreach (var o in outcomes)
                {
                    await context.Output.WriteLineAsync(o.AlreadyRegistered
                        ? $"{o.Subject} v{o.CatalogVersion}: already registered (id {o.SchemaId}, registry version {o.RegistryVersion})"
                        : $"{o.Subject} v{o.CatalogVersion}: registered (id {o.SchemaId}, registry version {o.RegistryVersion})");
                }

                await context.Output.WriteLineAsync($"schema-tools: {outcomes.Count(o => !o.AlreadyRegistered)} registered, {outcomes.Count(o => o.AlreadyRegistered)} already present.");
                return ExitCodes.Ok;
            }
            catch (Confluent.SchemaRegistry.SchemaRegistryException e) when (e.ErrorCode == 409 || e.Status == System.Net.HttpStatusCode.Conflict)
            {
                await context.Output.WriteLineAsync($"INCOMPATIBLE: the registry rejected a version: {e.Message}");
                return ExitCodes.Incompatible;
            }
        }));
        return command;
    }
}
