using System.Text.Json.Nodes;
using EventSourcing.EventStore.Naming;

namespace EventSourcing.EventStore.Upcasting;

/// <summary>Runs upcaster steps until every payload is a registered type at its current version.</summary>
internal sealed class UpcastChain(EventTypeRegistry registry)
{
    private const int MaxSteps = 64;

    public IReadOnlyList<(EventTypeRegistration Type, JsonObject Payload)> Run(string name, int version, JsonObject payload)
    {
        var results = new List<(EventTypeRegistration, JsonObject)>();
        Walk(new UpcastedPayload(name, version, payload), results, depth: 0);
        return results;
    }

    private void Walk(UpcastedPayload current, List<(EventTypeRegistration, JsonObject)> results, int depth)
    {
        if (depth > MaxSteps)
            throw new InvalidOperationException($"upcaster chain from '{current.Name}' v{current.Version} is longer than {MaxSteps} steps; is there a cycle?");

        var upcaster = registry.FindUpcaster(current.Name, current.Version);
        if (upcaster is null)
        {
            var registration = registry.Find(current.Name);
            if (registration is null || registration.SchemaVersion != current.Version)
                throw new InvalidOperationException(
                    $"no upcaster from '{current.Name}' v{current.Version} and it is not a registered current event type" +
                    (registration is null ? "" : $" (current is v{registration.SchemaVersion})"));
            results.Add((registration, current.Payload));
            return;
        }

        foreach (var next in upcaster.Transform(current.Payload))
            Walk(next, results, depth + 1);
    }

    /// <summary>The CLR type Marten should hand out for a stored (name, version): the final type, or <see cref="SplitEvent"/>.</summary>
    public Type TargetClrType(string name, int version)
    {
        var finals = new List<EventTypeRegistration>();
        var split = false;
        CollectTargets(name, version, finals, ref split, depth: 0);
        return split || finals.Count != 1 ? typeof(SplitEvent) : finals[0].ClrType;
    }

    /// <summary>Throws unless every chain from every upcaster ends at a registered current type.</summary>
    public void Validate()
    {
        foreach (var upcaster in registry.Upcasters)
        {
            if (registry.Find(upcaster.FromName) is { } current && current.SchemaVersion == upcaster.FromVersion)
                throw new InvalidOperationException(
                    $"upcaster from '{upcaster.FromName}' v{upcaster.FromVersion} reads the current version of a registered event type; upcasters may only read older versions");
            TargetClrType(upcaster.FromName, upcaster.FromVersion);
        }
    }

    private void CollectTargets(string name, int version, List<EventTypeRegistration> finals, ref bool split, int depth)
    {
        if (depth > MaxSteps)
            throw new InvalidOperationException($"upcaster chain from '{name}' v{version} is longer than {MaxSteps} steps; is there a cycle?");
        var upcaster = registry.FindUpcaster(name, version);
        if (upcaster is null)
        {
            var registration = registry.Find(name);
            if (registration is null || registration.SchemaVersion != version)
                throw new InvalidOperationException(
                    $"upcaster chain ends at '{name}' v{version}, which is neither a registered current event type nor the source of another upcaster");
            finals.Add(registration);
            return;
        }

        split |= upcaster.IsSplit;
        foreach (var target in upcaster.Targets)
            CollectTargets(target.Name, target.Version, finals, ref split, depth + 1);
    }
}
