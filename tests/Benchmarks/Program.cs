using EventSourcing.Benchmarks.Harness;
using EventSourcing.TestInfrastructure;

namespace EventSourcing.Benchmarks;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var suites = typeof(Program).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IBenchmarkSuite).IsAssignableFrom(t))
            .Select(t => (IBenchmarkSuite)Activator.CreateInstance(t)!)
            .GroupBy(s => s.Suite, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(s => s.Order).ToList(), StringComparer.Ordinal);

        var names = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        var quick = args.Contains("--quick");
        var scenario = args.Where(a => a.StartsWith("--scenario=", StringComparison.Ordinal)).Select(a => a["--scenario=".Length..]).LastOrDefault();
        var unknownFlags = args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a is not "--quick" and not "--help"
            && !a.StartsWith("--scenario=", StringComparison.Ordinal)).ToList();
        if (args.Contains("--help") || names.Count == 0 || unknownFlags.Count > 0)
        {
            Console.Error.WriteLine("usage: dotnet run -c Release --project tests/Benchmarks -- <suite>... [--quick] [--scenario=NAME]");
            Console.Error.WriteLine($"suites: {string.Join(", ", suites.Keys.Order())}, all");
            Console.Error.WriteLine("  --quick   smaller sizes; each suite finishes in under 60 seconds");
            Console.Error.WriteLine("  --scenario=NAME   run only the parts of the suite that measure NAME (e.g. es-sink-cpu), for iterating;");
            Console.Error.WriteLine("                    prints the table and JSON lines but leaves docs/benchmarks.md alone");
            Console.Error.WriteLine("Prints a table, one JSON line per scenario on stdout, and rewrites the suite's section of docs/benchmarks.md.");
            if (unknownFlags.Count > 0) Console.Error.WriteLine($"error: unknown option {unknownFlags[0]}");
            return args.Contains("--help") ? 0 : 2;
        }

        if (names.Contains("all")) names = [.. suites.Keys.Order()];
        var unknown = names.Where(n => !suites.ContainsKey(n)).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"error: unknown suite '{unknown[0]}'; known suites: {string.Join(", ", suites.Keys.Order())}");
            return 2;
        }

        if (scenario is not null)
        {
            var declared = suites.Where(s => names.Contains(s.Key)).SelectMany(s => s.Value).SelectMany(p => p.Scenarios).ToHashSet(StringComparer.Ordinal);
            if (!declared.Contains(scenario))
            {
                Console.Error.WriteLine($"error: unknown scenario '{scenario}' for {string.Join(", ", names)}; filterable scenarios: {string.Join(", ", declared.Order())}");
                return 2;
            }
        }

        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
        var connection = await PostgresServer.GetConnectionStringAsync();

        foreach (var name in names)
        {
            Console.Error.WriteLine($"== {name}{(quick ? " (quick)" : "")}");
            var results = new List<ScenarioResult>();
            await using (var context = new BenchmarkContext(quick, connection))
            {
                foreach (var part in suites[name].Where(p => scenario is null || p.Scenarios.Contains(scenario)))
                    results.AddRange(await part.RunAsync(context, cts.Token));
            }

            Console.WriteLine(Report.Table(results));
            foreach (var result in results)
                Console.WriteLine(Report.JsonLine(name, result));
            if (scenario is null)
                await Report.WriteDocsAsync(name, quick, results, cts.Token);
            else
                Console.Error.WriteLine($"--scenario={scenario}: docs/benchmarks.md left unchanged (a partial run would replace the whole {name} section)");
        }

        return 0;
    }
}
