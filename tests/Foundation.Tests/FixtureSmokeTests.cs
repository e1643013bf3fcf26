using Confluent.Kafka;
using EventSourcing.TestInfrastructure;
using Npgsql;

namespace EventSourcing.Foundation.Tests;

public sealed class PostgresFixtureSmokeTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task the_fixture_gives_the_class_its_own_schema_on_the_real_server()
    {
        await using var command = postgres.DataSource.CreateCommand(
            "select count(*) from information_schema.schemata where schema_name = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = postgres.SchemaName });
        Assert.Equal(1L, await command.ExecuteScalarAsync());

        await using var version = postgres.DataSource.CreateCommand("select current_setting('server_version_num')::int");
        Assert.True((int)(await version.ExecuteScalarAsync())! >= 140000, "PostgreSQL 14 or newer is expected");
    }

    [Fact]
    public async Task tables_created_through_the_schema_connection_land_in_the_class_schema()
    {
        await using var connection = new NpgsqlConnection(postgres.SchemaConnectionString);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand("create table smoke(id int primary key); insert into smoke values (42);", connection))
            await create.ExecuteNonQueryAsync();

        await using var read = postgres.DataSource.CreateCommand($"select id from {postgres.SchemaName}.smoke");
        Assert.Equal(42, await read.ExecuteScalarAsync());
    }
}

public sealed class PostgresFixtureLifecycleTests
{
    [Fact]
    public async Task disposing_the_fixture_drops_its_schemas()
    {
        var fixture = new PostgresFixture();
        await fixture.InitializeAsync();
        var extra = fixture.NewSchemaName();
        await using (var create = fixture.DataSource.CreateCommand($"create schema {extra}"))
            await create.ExecuteNonQueryAsync();
        var names = new[] { fixture.SchemaName, extra };
        await fixture.DisposeAsync();

        await using var dataSource = NpgsqlDataSource.Create(await PostgresServer.GetConnectionStringAsync());
        await using var command = dataSource.CreateCommand("select count(*) from information_schema.schemata where schema_name = any($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = names });
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }
}

public sealed class KafkaFixtureSmokeTests(KafkaFixture kafka) : IClassFixture<KafkaFixture>
{
    [Fact]
    public void the_bootstrap_address_is_read_from_the_mock_cluster_log_line()
    {
        var brokers = kafka.BootstrapServers.Split(',');
        Assert.Equal(kafka.Brokers, brokers.Length);
        Assert.All(brokers, b => Assert.StartsWith("127.0.0.1:", b, StringComparison.Ordinal));
    }

    [Fact]
    public async Task a_second_client_produces_and_a_consumer_group_reads_back_over_the_real_protocol()
    {
        var topic = "smoke-" + Guid.NewGuid().ToString("N")[..8];

        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig
               { BootstrapServers = kafka.BootstrapServers, Acks = Acks.All, EnableIdempotence = true }).Build())
        {
            for (var i = 0; i < 10; i++)
                await producer.ProduceAsync(topic, new Message<string, string> { Key = $"k{i % 3}", Value = $"v{i}" });
        }

        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = "smoke-" + Guid.NewGuid().ToString("N")[..8],
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe(topic);
        var seen = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (seen.Count < 10 && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (result?.Message is { } message) seen.Add(message.Value);
        }

        consumer.Close();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Count;
        Assert.Equal(KafkaFixture.AutoCreatedPartitions, partitions);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"v{i}").Order(), seen.Order());
    }
}

public sealed class LiveServicesSmokeTests
{
    [SkippableFact]
    public async Task live_elasticsearch_answers_when_ELASTICSEARCH_URL_is_set()
    {
        var url = LiveServices.RequireElasticsearch();
        using var http = new HttpClient { BaseAddress = url };
        using var response = await http.GetAsync("/");
        Assert.True(response.IsSuccessStatusCode, $"GET {url} returned {(int)response.StatusCode}");
    }

    [SkippableFact]
    public async Task live_schema_registry_answers_when_SCHEMA_REGISTRY_URL_is_set()
    {
        var url = LiveServices.RequireSchemaRegistry();
        using var http = new HttpClient { BaseAddress = url };
        using var response = await http.GetAsync("/subjects");
        Assert.True(response.IsSuccessStatusCode, $"GET {url}subjects returned {(int)response.StatusCode}");
    }

    [Fact]
    public void an_unset_variable_skips_with_a_reason_that_says_what_to_set()
    {
        if (LiveServices.ElasticsearchUrl is not null)
            return; // the live suite itself runs in that case
        var skip = Assert.ThrowsAny<Exception>(() => LiveServices.RequireElasticsearch());
        Assert.Contains("ELASTICSEARCH_URL", skip.Message, StringComparison.Ordinal);
    }
}
