using EventSourcing.TestInfrastructure;

namespace EventSourcing.EventStore.Tests.Support;

/// <summary>Builds event stores on the fixture's PostgreSQL schema.</summary>
public static class TestStores
{
    public static EventStoreOptions Options(PostgresFixture postgres, string? schema = null)
    {
        var options = new EventStoreOptions
        {
            ConnectionString = postgres.ConnectionString,
            SchemaName = schema ?? postgres.SchemaName,
        };
        options.Events.Register<CounterOpened>().Register<CounterIncremented>().Register<CounterClosed>();
        return options;
    }

    public static MartenEventStore Create(PostgresFixture postgres, Action<EventStoreOptions>? configure = null, string? schema = null)
    {
        var options = Options(postgres, schema);
        configure?.Invoke(options);
        return MartenEventStore.Create(options);
    }
}
