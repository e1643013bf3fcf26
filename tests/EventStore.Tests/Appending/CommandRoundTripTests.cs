using EventSourcing.EventStore.Tests.Support;
using EventSourcing.TestInfrastructure;
using Npgsql;

namespace EventSourcing.EventStore.Tests.Appending;

/// <summary>
/// What one command costs in PostgreSQL round trips (docs/event-store.md, "What a command costs"), counted
/// by a proxy on the wire, next to the raw single-row insert the commands benchmark compares with.
/// </summary>
public sealed class CommandRoundTripTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task the_proxy_counts_one_round_trip_per_statement_and_one_for_a_commit()
    {
        await using var proxy = new RoundTripProxy(postgres.ConnectionString);
        await using var dataSource = NpgsqlDataSource.Create(proxy.ConnectionString);
        var table = postgres.SchemaName + ".round_trips";
        await using (var create = dataSource.CreateCommand($"create table {table} (id int primary key)"))
            await create.ExecuteNonQueryAsync(Ct);

        var autocommit = await proxy.CountAsync(async () =>
        {
            await using var insert = dataSource.CreateCommand($"insert into {table} values (1)");
            await insert.ExecuteNonQueryAsync(Ct);
        });
        var transaction = await proxy.CountAsync(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(Ct);
            await using var tx = await connection.BeginTransactionAsync(Ct);
            await using var insert = new NpgsqlCommand($"insert into {table} values (2)", connection, tx);
            await insert.ExecuteNonQueryAsync(Ct);
            await tx.CommitAsync(Ct);
        });

        Assert.Equal(1, autocommit);
        Assert.Equal(2, transaction);
    }

    [Fact]
    public async Task a_command_on_a_cached_state_costs_two_round_trips_the_append_and_the_commit()
    {
        await using var proxy = new RoundTripProxy(postgres.ConnectionString);
        await using var store = TestStores.Create(postgres, o => o.ConnectionString = proxy.ConnectionString);
        var id = Guid.NewGuid();
        await store.HandleAsync(Counter.Decider, id, new OpenCounter(id, "a"), null, Ct);

        var trips = await proxy.CountAsync(() => store.HandleAsync(Counter.Decider, id, new Increment(id, 1), null, Ct));

        Assert.Equal(2, trips);
        Assert.Equal(2, (await store.ReadStreamAsync(id, 0, Ct)).Count);
    }

    [Fact]
    public async Task a_command_on_a_stream_this_process_has_not_seen_adds_one_round_trip_for_the_load()
    {
        await using var proxy = new RoundTripProxy(postgres.ConnectionString);
        var id = Guid.NewGuid();
        await using (var writer = TestStores.Create(postgres))
            await writer.HandleAsync(Counter.Decider, id, new OpenCounter(id, "a"), null, Ct);
        await using var store = TestStores.Create(postgres, o => o.ConnectionString = proxy.ConnectionString);
        var other = Guid.NewGuid();
        await store.HandleAsync(Counter.Decider, other, new OpenCounter(other, "warm-up"), null, Ct);

        var trips = await proxy.CountAsync(() => store.HandleAsync(Counter.Decider, id, new Increment(id, 1), null, Ct));

        Assert.Equal(3, trips);
    }

    [Fact]
    public async Task an_idempotency_key_adds_one_round_trip_for_its_look_up()
    {
        await using var proxy = new RoundTripProxy(postgres.ConnectionString);
        await using var store = TestStores.Create(postgres, o => o.ConnectionString = proxy.ConnectionString);
        var id = Guid.NewGuid();
        await store.HandleAsync(Counter.Decider, id, new OpenCounter(id, "a"), new AppendOptions { IdempotencyKey = "open-" + id }, Ct);

        var trips = await proxy.CountAsync(() =>
            store.HandleAsync(Counter.Decider, id, new Increment(id, 1), new AppendOptions { IdempotencyKey = "inc-" + id }, Ct));

        Assert.Equal(3, trips);
        Assert.NotNull(await store.FindIdempotencyKeyAsync("inc-" + id, Ct));
    }
}
