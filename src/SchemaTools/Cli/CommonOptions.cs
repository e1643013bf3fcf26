using System.CommandLine;
using Confluent.SchemaRegistry;
using EventSourcing.SchemaTools.Parsing;

namespace EventSourcing.SchemaTools.Cli;

internal static class CommonOptions
{
    public static Option<FileInfo[]> Assembly() => new("--assembly", "-a")
    {
        Description = "Built assembly holding the event types ([EventName] classes), e.g. sample/OrderDomain/bin/Release/net10.0/OrderDomain.dll. Repeat for several.",
        AllowMultipleArgumentsPerToken = true,
        Arity = ArgumentArity.OneOrMore,
        Required = true,
    };

    public static Option<string[]> Namespace() => new("--namespace")
    {
        Description = "Only event types in this CLR namespace (and below). Repeat for several. Default: all.",
        AllowMultipleArgumentsPerToken = true,
    };

    public static Option<string> EventTypes() => new("--event-types")
    {
        Description = "The domain's event type configuration, as Namespace.Type.Member: a public static void M(EventStoreOptions), void or EventTypeRegistry M(EventTypeRegistry), EventTypeRegistry M() or EventTypeRegistry property. Default: the only such member in the assembly, else every [EventName] type (then no upcasters are known).",
    };

    public static Option<DirectoryInfo> Catalog() => new("--catalog")
    {
        Description = "The schema catalog directory (index.json plus <subject>/v<N>.avsc).",
        DefaultValueFactory = _ => new DirectoryInfo("schemas"),
    };

    public static Option<string> Registry(bool required) => new("--registry")
    {
        Description = "Confluent Schema Registry URL, e.g. http://localhost:8081.",
        Required = required,
    };

    public static Option<string> Format()
    {
        var option = new Option<string>("--format")
        {
            Description = "Output format: text (one line per violation) or json.",
            DefaultValueFactory = _ => "text",
        };
        option.AcceptOnlyFromAmong("text", "json");
        return option;
    }

    /// <summary>Runs a command body; bad input of any kind becomes exit code 2 with a message on stderr.</summary>
    public static async Task<int> Guard(CliContext context, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (Exception e) when (e is CliInputException or SchemaParseException or InvalidDataException or FileNotFoundException
                                      or DirectoryNotFoundException or InvalidOperationException or ArgumentException
                                      or SchemaRegistryException or HttpRequestException or Npgsql.NpgsqlException or IOException)
        {
            await context.Error.WriteLineAsync($"schema-tools: {e.Message}");
            return ExitCodes.BadInput;
        }
    }
}
