using YamlDotNet.RepresentationModel;

namespace EventSourcing.Foundation.Tests;

/// <summary>
/// compose.yaml cannot run on the build machines (no Docker engine), so this test parses it and
/// checks that every address the apps' environment points at is published by a service that has a
/// healthcheck.
/// </summary>
public sealed class ComposeFileTests
{
    private static readonly YamlMappingNode Root = Load();

    private static YamlMappingNode Load()
    {
        var yaml = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(Path.Combine(TestInfrastructure.RepositoryRoot.Path, "compose.yaml")));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static YamlMappingNode Services => (YamlMappingNode)Root["services"];

    private static Dictionary<string, string> AppEnvironment =>
        ((YamlMappingNode)Root["x-eventsourcing-env"]).Children
            .ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value!, StringComparer.Ordinal);

    [Theory]
    [InlineData("postgres")]
    [InlineData("kafka")]
    [InlineData("schema-registry")]
    [InlineData("elasticsearch")]
    public void every_service_the_apps_need_is_declared_with_a_healthcheck_and_published_ports(string service)
    {
        Assert.True(Services.Children.ContainsKey(service), $"compose.yaml has no service '{service}'");
        var node = (YamlMappingNode)Services[service];
        Assert.True(node.Children.ContainsKey("healthcheck"), $"service '{service}' has no healthcheck");
        Assert.True(node.Children.ContainsKey("ports"), $"service '{service}' publishes no ports");
        Assert.NotEmpty((YamlSequenceNode)node["ports"]);
    }

    [Theory]
    [InlineData("POSTGRES_CONNECTION", 5432, "postgres")]
    [InlineData("KAFKA_BOOTSTRAP_SERVERS", 9092, "kafka")]
    [InlineData("SCHEMA_REGISTRY_URL", 8081, "schema-registry")]
    [InlineData("ELASTICSEARCH_URL", 9200, "elasticsearch")]
    public void the_app_environment_points_at_a_port_the_stack_publishes(string variable, int port, string service)
    {
        Assert.True(AppEnvironment.TryGetValue(variable, out var value), $"x-eventsourcing-env does not set {variable}");
        Assert.Equal(port, PortOf(value!));

        var published = ((YamlSequenceNode)((YamlMappingNode)Services[service])["ports"])
            .Select(p => ((YamlScalarNode)p).Value!)
            .Select(p => int.Parse(p.Split(':')[0], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains(port, published);
    }

    [Fact]
    public void the_documented_variables_are_the_ones_the_test_fixtures_read()
    {
        Assert.Contains(TestInfrastructure.PostgresServer.Variable, AppEnvironment.Keys);
        Assert.Contains(TestInfrastructure.LiveServices.ElasticsearchVariable, AppEnvironment.Keys);
        Assert.Contains(TestInfrastructure.LiveServices.SchemaRegistryVariable, AppEnvironment.Keys);
    }

    [Fact]
    public void elasticsearch_runs_single_node_with_security_off_for_local_use()
    {
        var environment = (YamlMappingNode)((YamlMappingNode)Services["elasticsearch"])["environment"];
        Assert.Equal("single-node", ((YamlScalarNode)environment["discovery.type"]).Value);
        Assert.Equal("false", ((YamlScalarNode)environment["xpack.security.enabled"]).Value);
    }

    [Fact]
    public void kafka_runs_in_kraft_mode_without_zookeeper()
    {
        Assert.False(Services.Children.ContainsKey("zookeeper"));
        var environment = (YamlMappingNode)((YamlMappingNode)Services["kafka"])["environment"];
        Assert.Equal("broker,controller", ((YamlScalarNode)environment["KAFKA_PROCESS_ROLES"]).Value);
    }

    private static int PortOf(string value)
    {
        if (value.Contains("Port=", StringComparison.Ordinal))
        {
            var part = value.Split(';').Single(p => p.StartsWith("Port=", StringComparison.Ordinal));
            return int.Parse(part["Port=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        }

        var address = value.Contains("://", StringComparison.Ordinal) ? new Uri(value).Authority : value.Split(',')[0];
        return int.Parse(address.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
