using System.Reflection;
using EventSourcing.EventStore;
using EventSourcing.EventStore.Naming;
using EventSourcing.SchemaTools.Catalog;
using EventSourcing.SchemaTools.Generation;

namespace EventSourcing.SchemaTools.Discovery;

/// <summary>
/// Where <c>generate</c> and <c>check</c> get the event types and upcasters from. Preferably the
/// domain's own <see cref="EventTypeRegistry"/> configuration, found in the assembly as a public
/// static member of one of these shapes (or named with <c>--event-types Namespace.Type.Member</c>):
/// <c>void M(EventStoreOptions)</c>, <c>void M(EventTypeRegistry)</c>, <c>EventTypeRegistry M()</c>,
/// or a static <c>EventTypeRegistry</c> property. Without one, every <c>[EventName]</c> type of the
/// assembly is used and no upcaster is known.
/// </summary>
public sealed record EventTypeSource(IReadOnlyList<EventType> Events, EventTypeRegistry? Registry, Action<EventStoreOptions>? Configure, string Description)
{
    /// <summary>The upcasters the registry declares (none without a registry).</summary>
    public IUpcasterLookup Upcasters => new RegistryUpcasters(Registry);

    /// <param name="assemblies">The domain assemblies.</param>
    /// <param name="member">An explicit configuration member (Namespace.Type.Member), or null to search.</param>
    /// <param name="namespaces">When not empty, only configuration members of types in these CLR namespaces are searched.</param>
    public static EventTypeSource FromAssemblies(IReadOnlyList<Assembly> assemblies, string? member, IReadOnlyList<string>? namespaces = null)
    {
        ArgumentNullException.ThrowIfNull(assemblies);
        var candidates = member is null
            ? assemblies.SelectMany(Candidates).Where(m => InNamespaces(m.DeclaringType!, namespaces)).ToList()
            : [Named(assemblies, member)];
        if (candidates.Count > 1)
        {
            throw new InvalidOperationException(
                $"several event type configurations found ({string.Join(", ", candidates.Select(c => $"{c.DeclaringType!.FullName}.{c.Name}"))}); pick one with --event-types Namespace.Type.Member");
        }

        if (candidates.Count == 0)
        {
            var scanned = assemblies.SelectMany(EventType.Scan).ToList();
            return new EventTypeSource(scanned, null, null, $"[EventName] scan of {string.Join(", ", assemblies.Select(a => a.GetName().Name))} (no EventTypeRegistry configuration found, so no upcasters are known)");
        }

        var chosen = candidates[0];
        var configure = Configuration(chosen);
        var options = new EventStoreOptions();
        configure(options);
        var events = options.Events.Registrations.Select(r => new EventType(r.ClrType, r.Name, r.SchemaVersion)).ToList();
        return new EventTypeSource(events, options.Events, configure, $"{chosen.DeclaringType!.FullName}.{chosen.Name}");
    }

    private static bool InNamespaces(Type type, IReadOnlyList<string>? namespaces) =>
        namespaces is not { Count: > 0 } || namespaces.Any(n => type.Namespace == n || (type.Namespace ?? "").StartsWith(n + ".", StringComparison.Ordinal));

    private static IEnumerable<MemberInfo> Candidates(Assembly assembly) =>
        assembly.GetExportedTypes()
            .SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(IsConfiguration)
            .OrderBy(m => m.DeclaringType!.FullName, StringComparer.Ordinal).ThenBy(m => m.Name, StringComparer.Ordinal);

    private static MemberInfo Named(IReadOnlyList<Assembly> assemblies, string member)
    {
        var dot = member.LastIndexOf('.');
        if (dot <= 0)
            throw new ArgumentException($"--event-types '{member}' must be Namespace.Type.Member.", nameof(member));
        var typeName = member[..dot];
        var type = assemblies.Select(a => a.GetType(typeName)).FirstOrDefault(t => t is not null)
            ?? throw new ArgumentException($"--event-types: type '{typeName}' is not in {string.Join(", ", assemblies.Select(a => a.GetName().Name))}.", nameof(member));
        return type.GetMember(member[(dot + 1)..], BindingFlags.Public | BindingFlags.Static).FirstOrDefault(IsConfiguration)
            ?? throw new ArgumentException($"--event-types: {member} is not a public static void M(EventStoreOptions), void M(EventTypeRegistry), EventTypeRegistry M() or EventTypeRegistry property.", nameof(member));
    }

    private static bool IsConfiguration(MemberInfo member) => member switch
    {
        MethodInfo m when m.IsSpecialName => false,
        MethodInfo m => m.GetParameters() switch
        {
            [var p] when m.ReturnType == typeof(void) || m.ReturnType == p.ParameterType => p.ParameterType == typeof(EventStoreOptions) || p.ParameterType == typeof(EventTypeRegistry),
            [] => m.ReturnType == typeof(EventTypeRegistry),
            _ => false,
        },
        PropertyInfo p => p.PropertyType == typeof(EventTypeRegistry) && p.GetMethod is { IsStatic: true },
        _ => false,
    };

    private static Action<EventStoreOptions> Configuration(MemberInfo member) => member switch
    {
        MethodInfo m when m.GetParameters() is [var p] && p.ParameterType == typeof(EventStoreOptions) => o => m.Invoke(null, [o]),
        MethodInfo m when m.GetParameters() is [_] => o => m.Invoke(null, [o.Events]),
        MethodInfo m => o => CopyInto((EventTypeRegistry)m.Invoke(null, null)!, o.Events),
        PropertyInfo p => o => CopyInto((EventTypeRegistry)p.GetValue(null)!, o.Events),
        _ => throw new InvalidOperationException($"{member} is not an event type configuration"),
    };

    // Copies registrations and upcaster steps as they are, so a rename stays a rename (not a split).
    private static void CopyInto(EventTypeRegistry source, EventTypeRegistry target) => target.CopyFrom(source);

    private sealed class RegistryUpcasters(EventTypeRegistry? registry) : IUpcasterLookup
    {
        public bool CanUpcast(string eventName, int fromVersion, int toVersion)
        {
            // The store refuses to start unless every upcaster chain ends at a registered current type
            // (EventStoreOptions.Validate), so an upcaster from the version is enough here.
            return registry is not null && registry.HasUpcasterFrom(eventName, fromVersion);
        }

        public bool CanUpcastSubject(string subject, int fromVersion) =>
            registry is not null && registry.Upcasters.Any(u => u.FromVersion == fromVersion && AvroNaming.FullName(u.FromName) == subject);
    }
}
