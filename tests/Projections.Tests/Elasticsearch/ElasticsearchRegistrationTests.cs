using EventSourcing.Projections.Hosting;
using EventSourcing.Projections.Sinks.Elasticsearch;
using Microsoft.Extensions.Configuration;

namespace EventSourcing.Projections.Tests.Elasticsearch;

public sealed class ElasticsearchRegistrationTests
{
    [Fact]
    public void settings_bind_from_configuration_and_are_validated_at_startup()
    {
        // begin-snippet: es-configuration
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Projections:Elasticsearch:Urls:0"] = "https://es01.internal:9200",
            ["Projections:Elasticsearch:Urls:1"] = "https://es02.internal:9200",
            ["Projections:Elasticsearch:ApiKey"] = "from-a-secret-store", // e.g. env Projections__Elasticsearch__ApiKey
            ["Projections:Elasticsearch:CertificateFingerprint"] = "7A:3B:" + string.Join(':', Enumerable.Repeat("C4", 30)),
            ["Projections:Elasticsearch:Refresh"] = "WaitFor",
            ["Projections:Elasticsearch:MaxBulkAttempts"] = "6",
            ["Projections:Elasticsearch:RetainRetiredIndexFor"] = "2.00:00:00",
        }).Build();

        var builder = new ProjectionsBuilder().UseElasticsearch(configuration);
        // end-snippet

        Assert.NotNull(builder);
        var options = ElasticsearchRegistration.ReadOptions(configuration);
        Assert.Equal([new Uri("https://es01.internal:9200"), new Uri("https://es02.internal:9200")], options.Urls);
        Assert.Equal(RefreshPolicy.WaitFor, options.Refresh);
        Assert.Equal(6, options.MaxBulkAttempts);
        Assert.Equal(TimeSpan.FromDays(2), options.RetainRetiredIndexFor);
        Assert.Equal("urls=https://es01.internal:9200/,https://es02.internal:9200/ auth=api-key tls=certificate-fingerprint refresh=WaitFor", options.Describe());
    }

    [Fact]
    public void a_missing_section_fails_at_startup_naming_it()
    {
        var configuration = new ConfigurationBuilder().Build();

        var error = Assert.Throws<ElasticsearchOptionsException>(() => new ProjectionsBuilder().UseElasticsearch(configuration));

        Assert.Contains("Projections:Elasticsearch is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void an_invalid_setting_fails_at_startup_not_at_the_first_batch()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Projections:Elasticsearch:Urls:0"] = "http://es01.internal:9200",
            ["Projections:Elasticsearch:Username"] = "projector",
        }).Build();

        var error = Assert.Throws<ElasticsearchOptionsException>(() => new ProjectionsBuilder().UseElasticsearch(configuration));

        Assert.Contains("Username is set but Password is missing", error.Message, StringComparison.Ordinal);
    }
}
