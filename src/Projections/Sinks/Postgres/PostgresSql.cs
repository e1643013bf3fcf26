namespace EventSourcing.Projections.Sinks.Postgres;

/// <summary>The SQL of the PostgreSQL sink, in one place.</summary>
internal static class PostgresSql
{
    public static string CreateRegistry(PostgresSinkOptions o) =>
        $"create schema if not exists {o.Schema}; " +
        $"create table if not exists {o.Registry} (name text primary key, live_version int not null, swapped_at timestamptz not null)";

    public static string CreateTable(string table) =>
        $"create table if not exists {table} (key text primary key, data jsonb, version bigint not null, updated_at timestamptz not null default now())";

    public static string Load(string table) =>
        $"select key, data::text, version from {table} where key = any(@keys)";

    /// <summary>One page of a table in key order, deletion markers included; parameters: text key to start after (null: the first page), int page size.</summary>
    public static string Page(string table) =>
        $"select key, data::text, version from {table} where $1::text is null or key > $1 order by key limit $2";

    /// <summary>Upsert guarded by version; parameters: text[] keys, jsonb-as-text[] docs, bigint[] versions. Returns the written keys.</summary>
    public static string Upsert(string table, string keys, string docs, string versions) =>
        $"insert into {table} as t (key, data, version, updated_at) " +
        $"select k, d::jsonb, v, now() from unnest({keys}::text[], {docs}::text[], {versions}::bigint[]) as i(k, d, v) " +
        "on conflict (key) do update set data = excluded.data, version = excluded.version, updated_at = now() " +
        "where t.version <= excluded.version returning t.key";

    public static string Swap(PostgresSinkOptions o, string view, string table) =>
        $"create or replace view {view} as select key, data, version, updated_at from {table} where data is not null";

    public static string Register(PostgresSinkOptions o, string name, string version) =>
        $"insert into {o.Registry} (name, live_version, swapped_at) values ({name}, {version}, now()) " +
        "on conflict (name) do update set live_version = excluded.live_version, swapped_at = excluded.swapped_at";
}
