namespace EventSourcing.Projections.DeadLetters;

internal static class DeadLetterSql
{
    public static string Table(string schema) => $"{schema}.projection_dead_letters";

    public static string Create(string schema) =>
        $"create table if not exists {Table(schema)} (projection text not null, sequence bigint not null, event_id uuid not null, " +
        "stream_key text not null, event_type text not null, error text not null, failed_at timestamptz not null, " +
        "primary key (projection, sequence))";

    /// <summary>Parameters in order: projection, sequence, event id, stream key, event type, error, failed at.</summary>
    public static string Insert(string schema, params string[] p) =>
        $"insert into {Table(schema)} (projection, sequence, event_id, stream_key, event_type, error, failed_at) " +
        $"values ({p[0]}, {p[1]}, {p[2]}, {p[3]}, {p[4]}, {p[5]}, {p[6]}) " +
        "on conflict (projection, sequence) do update set error = excluded.error, failed_at = excluded.failed_at";
}
