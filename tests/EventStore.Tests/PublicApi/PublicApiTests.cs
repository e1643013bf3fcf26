using System.Reflection;
using Snapshooter.Xunit;

namespace EventSourcing.EventStore.Tests.PublicApi;

/// <summary>
/// The public surface of EventSourcing.EventStore, as a committed snapshot: four other parts build on
/// it, so a change here must be deliberate (extend, don't rename).
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void the_public_api_only_changes_on_purpose()
    {
        var assembly = typeof(IEventStore).Assembly;
        var lines = new List<string>();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            lines.Add(Describe(type));
            var members = type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Where(m => m is not MethodInfo { IsSpecialName: true } && m.DeclaringType == type && !IsCompilerNoise(m))
                .Select(m => "  " + m.MemberType + " " + m)
                .Order(StringComparer.Ordinal);
            lines.AddRange(members);
        }

        Snapshot.Match(string.Join("\n", lines));
    }

    private static bool IsCompilerNoise(MemberInfo member) =>
        member.Name is "<Clone>$" or "EqualityContract" or "Deconstruct" or "PrintMembers" or "GetHashCode" or "Equals" or "ToString";

    private static string Describe(Type type)
    {
        var kind = type.IsInterface ? "interface" : type.IsEnum ? "enum" : type.IsValueType ? "struct" : type.IsAbstract && type.IsSealed ? "static class" : "class";
        var baseType = type.BaseType is { } b && b != typeof(object) && b != typeof(ValueType) && b != typeof(Enum) ? " : " + b.Name : "";
        return $"{kind} {type.FullName}{baseType}";
    }
}
