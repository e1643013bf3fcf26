using System.Reflection;
using System.Runtime.Loader;
using EventSourcing.SchemaTools.Discovery;

namespace EventSourcing.SchemaTools.Cli;

/// <summary>
/// Loads the assemblies named by <c>--assembly</c> (with their dependencies, resolved through the
/// assembly's .deps.json next to it) and finds the event types: every type with <c>[EventName]</c>,
/// optionally only in the CLR namespaces given by <c>--namespace</c>.
/// </summary>
internal static class EventAssemblies
{
    public static EventTypeSource Resolve(IReadOnlyList<FileInfo> assemblies, IReadOnlyList<string> namespaces, string? member)
    {
        if (assemblies.Count == 0)
            throw new CliInputException("give the assembly that holds the event types with --assembly path/to/Domain.dll (build it first).");
        var source = EventTypeSource.FromAssemblies(assemblies.Select(Load).ToList(), member, namespaces);
        var events = source.Events
            .Where(e => namespaces.Count == 0 || namespaces.Any(n => e.ClrType.Namespace == n || (e.ClrType.Namespace ?? "").StartsWith(n + ".", StringComparison.Ordinal)))
            .OrderBy(e => e.Name, StringComparer.Ordinal)
            .ToList();
        var duplicate = events.GroupBy(e => e.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new CliInputException($"event name '{duplicate.Key}' is used by {string.Join(" and ", duplicate.Select(e => e.ClrType.FullName))}; use --namespace to pick one.");
        if (events.Count == 0)
            throw new CliInputException($"no event types found ({source.Description}){(namespaces.Count > 0 ? $" under namespace {string.Join(", ", namespaces)}" : "")}.");
        return source with { Events = events };
    }

    private static Assembly Load(FileInfo file)
    {
        if (!file.Exists)
            throw new CliInputException($"--assembly {file.FullName} does not exist; build the project first.");
        AssemblyName name;
        try
        {
            name = AssemblyName.GetAssemblyName(file.FullName);
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or UnauthorizedAccessException or IOException)
        {
            throw new CliInputException($"--assembly {file.FullName} is not a .NET assembly (build the project and pass its .dll)", e);
        }

        var loaded = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => AssemblyName.ReferenceMatchesDefinition(a.GetName(), name));
        if (loaded is not null)
            return loaded;
        var resolver = new AssemblyDependencyResolver(file.FullName);
        AssemblyLoadContext.Default.Resolving += (context, dependency) =>
            resolver.ResolveAssemblyToPath(dependency) is { } path ? context.LoadFromAssemblyPath(path) : null;
        try
        {
            return AssemblyLoadContext.Default.LoadFromAssemblyPath(file.FullName);
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException)
        {
            throw new CliInputException($"--assembly {file.FullName} is not a .NET assembly that can be loaded: {e.Message}", e);
        }
    }
}
