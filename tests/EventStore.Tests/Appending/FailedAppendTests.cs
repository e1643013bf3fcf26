using EventSourcing.EventStore.Concurrency;
using EventSourcing.EventStore.Naming;
using EventSourcing.EventStore.Tests.Support;
using EventSourcing.TestInfrastructure;

namespace EventSourcing.EventStore.Tests.Appending;

[EventName("counter.labelled")]
public sealed record CounterLabelled(Guid CounterId, string Label);

/// <summary>
/// PostgreSQL refuses <c>\u0000</c> in jsonb (an unpaired surrogate never reaches it: the serializer writes U+FFFD). Sent to the server, such an append failed
/// after Marten had drawn sequence numbers, and Marten wrote its tombstone stream (an <c>mt_streams</c> row at
/// version 0 with no events). The store refuses them before any SQL, so no row of any kind is written.
/// </summary>
public sealed class FailedAppendTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Theory]
    [InlineData("a\u0000b")]
    [InlineData("\u0000")]
    public async Task text_postgres_cannot_store_is_refused_before_sql_and_writes_no_row(string label)
    {
        var schema = postgres.NewSchemaName();
        await using var store = TestStores.Create(postgres, o => o.Events.Register<CounterLabelled>(), schema);
        await store.EnsureSchemaAsync(CancellationToken.None);
        for (var i = 0; i < 4; i++)
        {
            var id = Guid.NewGuid();
            var append = await Assert.ThrowsAsync<ArgumentException>(() =>
                store.AppendAsync(id, [new CounterOpened(id, "ok"), new CounterLabelled(id, label)], ExpectedVersion.NoStream, null, CancellationToken.None));
            Assert.Contains("#1 'counter.labelled'", append.Message, StringComparison.Ordinal);
            Assert.Contains("PostgreSQL cannot store", append.Message, StringComparison.Ordinal);
            await Assert.ThrowsAsync<ArgumentException>(() =>
                store.HandleAsync(Counter.Decider, id, new OpenCounter(id, label), null, CancellationToken.None));
        }

        Assert.Equal(0, await CountAsync($"select count(*) from {schema}.mt_streams"));
        Assert.Equal(0, await CountAsync($"select count(*) from {schema}.mt_events"));

        for (var i = 0; i < 4; i++)
        {
            var id = Guid.NewGuid();
            var result = await store.HandleAsync(Counter.Decider, id, new OpenCounter(id, "fine \\u0000 \ud83d\ude00"), null, CancellationToken.None);
            Assert.Equal(1, result.Version);
            await store.AppendAsync(id, [new CounterIncremented(id, 1)], ExpectedVersion.Exact(1), null, CancellationToken.None);
        }

        Assert.Equal(4, await CountAsync($"select count(*) from {schema}.mt_streams"));
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var command = postgres.DataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
