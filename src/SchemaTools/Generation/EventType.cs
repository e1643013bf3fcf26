using System.Reflection;

namespace EventSourcing.SchemaTools.Generation;

/// <summary>An event type with its stable name and current schema version, from <c>[EventName]</c>.</summary>
public sealed record EventType(Type ClrType, string Name, int Version)
{
    public const string AttributeFullName = "EventSourcing.EventStore.Naming.EventNameAttribute";

    /// <summary>All types of an assembly carrying <c>[EventName]</c>, ordered by name (duplicates are the caller's to judge).</summary>
    /// <remarks>The attribute is read through <see cref="CustomAttributeData"/>, so an assembly loaded
    /// from a path is understood even when it was built against another copy of EventStore.</remarks>
    public static IReadOnlyList<EventType> Scan(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            var reasons = string.Join("; ", e.LoaderExceptions.Where(x => x is not null).Select(x => x!.Message).Distinct(StringComparer.Ordinal));
            throw new InvalidOperationException($"cannot load the types of {assembly.GetName().Name}: {reasons}", e);
        }

        return types.Select(From).OfType<EventType>().OrderBy(e => e.Name, StringComparer.Ordinal).ThenBy(e => e.ClrType.FullName, StringComparer.Ordinal).ToList();
    }

    /// <summary>The event type of <paramref name="type"/>, or null when it has no <c>[EventName]</c>.</summary>
    public static EventType? From(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var attribute = type.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.FullName == AttributeFullName);
        if (attribute is null)
            return null;
        var name = (string)attribute.ConstructorArguments[0].Value!;
        var version = attribute.NamedArguments.Where(a => a.MemberName == "Version").Select(a => (int)a.TypedValue.Value!).DefaultIfEmpty(1).First();
        return new EventType(type, name, version);
    }

    /// <summary>The event type of <paramref name="type"/>; a type without <c>[EventName]</c> is an error naming it.</summary>
    public static EventType Of(Type type) =>
        From(type) ?? throw new ArgumentException($"{type.FullName} has no [EventName(\"...\")] attribute, so it has no stable event name to derive an Avro schema from.", nameof(type));
}
