using System.Text;

namespace EventSourcing.SchemaTools.Generation;

/// <summary>
/// How event names become Avro names. The event name <c>order.placed</c> becomes the record
/// <c>placed</c> in namespace <c>order</c>, so the record's full name is the event name itself and
/// the subject (record name strategy) is the event name. Characters Avro does not allow become '_'.
/// </summary>
public static class AvroNaming
{
    /// <summary>The Avro full name (and subject) for an event name.</summary>
    public static string FullName(string eventName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        return string.Join('.', eventName.Split('.', StringSplitOptions.RemoveEmptyEntries).Select(Sanitize));
    }

    /// <summary>Splits a full name into (namespace or null, name).</summary>
    public static (string? Namespace, string Name) Split(string fullName)
    {
        var dot = fullName.LastIndexOf('.');
        return dot < 0 ? (null, fullName) : (fullName[..dot], fullName[(dot + 1)..]);
    }

    /// <summary>A valid Avro name: letters, digits and '_', not starting with a digit.</summary>
    public static string Sanitize(string name)
    {
        var builder = new StringBuilder(name.Length + 1);
        foreach (var c in name)
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        if (builder.Length == 0 || char.IsAsciiDigit(builder[0]))
            builder.Insert(0, '_');
        return builder.ToString();
    }

    /// <summary>The Avro field name of a property: camelCase (<c>OrderId</c> becomes <c>orderId</c>).</summary>
    public static string FieldName(string propertyName)
    {
        var sanitized = Sanitize(propertyName);
        return char.IsUpper(sanitized[0]) ? char.ToLowerInvariant(sanitized[0]) + sanitized[1..] : sanitized;
    }

    /// <summary>The Avro name of a nested CLR type: its name without generic arity.</summary>
    public static string TypeName(Type type)
    {
        var name = type.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        if (tick >= 0)
            name = name[..tick] + "_" + string.Join("_", type.GetGenericArguments().Select(TypeName));
        return Sanitize(name);
    }
}
