using Microsoft.Extensions.Configuration;
using OrderDomain.Hosting;

namespace EventSourcing.OrderDomain.Tests.Hosting;

/// <summary>The variables the README exports for the Docker stack point the service at it.</summary>
public sealed class StackSettingsTests
{
    private static OrderServiceOptions From(Dictionary<string, string?> settings) =>
        OrderServiceOptions.From(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

    [Fact]
    public void the_stack_variables_fill_in_kafka_the_registry_and_elasticsearch()
    {
        var options = From(new()
        {
            ["POSTGRES_CONNECTION"] = "Host=localhost;Port=5432",
            ["KAFKA_BOOTSTRAP_SERVERS"] = "localhost:9092",
            ["SCHEMA_REGISTRY_URL"] = "http://localhost:8081",
            ["ELASTICSEARCH_URL"] = "http://localhost:9200",
        });

        Assert.Equal("localhost:9092", options.KafkaBootstrapServers);
        Assert.Equal(new Uri("http://localhost:8081"), options.SchemaRegistryUrl);
        Assert.Equal(new Uri("http://localhost:9200"), options.ElasticsearchUrl);
        Assert.False(options.AutoRegisterSchemas);
    }

    [Fact]
    public void the_orders_section_wins_over_the_stack_variables()
    {
        var options = From(new()
        {
            ["POSTGRES_CONNECTION"] = "Host=localhost",
            ["KAFKA_BOOTSTRAP_SERVERS"] = "localhost:9092",
            ["Orders:KafkaBootstrapServers"] = "broker:29092",
        });

        Assert.Equal("broker:29092", options.KafkaBootstrapServers);
        Assert.Null(options.SchemaRegistryUrl);
    }

    [Fact]
    public void a_relative_registry_url_is_named()
    {
        var error = Assert.Throws<InvalidSettingException>(() => From(new()
        {
            ["POSTGRES_CONNECTION"] = "Host=localhost",
            ["SCHEMA_REGISTRY_URL"] = "not a url",
        }));
        Assert.Contains("SCHEMA_REGISTRY_URL", error.Message, StringComparison.Ordinal);
    }
}
