using EventSourcing.Projections.Definitions;

namespace EventSourcing.Projections.Sinks.Postgres;

/// <summary>Where the PostgreSQL sink keeps read models: tables <c>rm_{name}_v{n}</c> behind views <c>rm_{name}</c>.</summary>
public sealed record PostgresSinkOptions(string Schema)
{
    public string Schema { get; } = Validate(Schema);

    private static string Validate(string schema) =>
        string.IsNullOrWhiteSpace(schema) || !schema.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_')
            ? throw new ArgumentException($"PostgresSinkOptions.Schema '{schema}' must be a lower-case identifier", nameof(schema))
            : schema;

    internal string Table(ReadModelTarget target) => $"{Schema}.rm_{target.PhysicalName}";

    internal string View(string readModel) => $"{Schema}.rm_{ProjectionNames.Validate(readModel)}";

    internal string Registry => $"{Schema}.projection_read_models";
}
