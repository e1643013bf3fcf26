using EventSourcing.Projections.Sinks;
using EventSourcing.Projections.Sinks.Postgres;
using EventSourcing.TestInfrastructure;

namespace EventSourcing.Projections.Tests.Sinks;

public sealed class PostgresSinkTests : ReadModelSinkBehaviour, IClassFixture<PostgresFixture>
{
    public PostgresSinkTests(PostgresFixture postgres)
    {
        Sink = new PostgresSink(postgres.DataSource, new PostgresSinkOptions(postgres.SchemaName));
    }

    protected override IReadModelSink Sink { get; }
}
