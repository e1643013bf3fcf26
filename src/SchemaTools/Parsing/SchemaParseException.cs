namespace EventSourcing.SchemaTools.Parsing;

/// <summary>An Avro schema that cannot be read; the message names the source, line and column.</summary>
public sealed class SchemaParseException : Exception
{
    public SchemaParseException(string source, int line, int column, string reason)
        : base($"{source}({line},{column}): {reason}")
    {
        Source = source;
        Line = line;
        Column = column;
        Reason = reason;
    }

    public SchemaParseException()
        : this("<schema>", 1, 1, "the schema could not be parsed")
    {
    }

    public SchemaParseException(string message)
        : this("<schema>", 1, 1, message)
    {
    }

    public SchemaParseException(string message, Exception innerException)
        : base(message, innerException)
    {
        Source = "<schema>";
        Reason = message;
    }

    /// <summary>The file (or other source) the schema came from.</summary>
    public new string Source { get; }

    public int Line { get; }

    public int Column { get; }

    /// <summary>What is wrong, without the position.</summary>
    public string Reason { get; }
}
