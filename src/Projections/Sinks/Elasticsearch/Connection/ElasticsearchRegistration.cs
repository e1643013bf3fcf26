using EventSourcing.Projections.Hosting;
using Microsoft.Extensions.Configuration;

namespace EventSourcing.Projections.Sinks.Elasticsearch;

/// <summary>Chooses the Elasticsearch sink for the projections host; the options are validated here, at startup.</summary>
public static class ElasticsearchRegistration
{
    /// <summary>Uses Elasticsearch with <paramref name="options"/>; throws <see cref="ElasticsearchOptionsException"/> naming every invalid setting.</summary>
    public static ProjectionsBuilder UseElasticsearch(this ProjectionsBuilder builder, ElasticsearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var client = ElasticsearchClientFactory.Create(options);
        return builder.UseSink(_ => new ElasticsearchSink(client, options));
    }

    /// <summary>Uses Elasticsearch with the settings of the <see cref="ElasticsearchOptions.SectionName"/> section.</summary>
    public static ProjectionsBuilder UseElasticsearch(this ProjectionsBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return builder.UseElasticsearch(ReadOptions(configuration));
    }

    /// <summary>Binds the <see cref="ElasticsearchOptions.SectionName"/> section; a missing section fails naming it.</summary>
    public static ElasticsearchOptions ReadOptions(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(ElasticsearchOptions.SectionName);
        if (!section.Exists())
            throw new ElasticsearchOptionsException($"The configuration section {ElasticsearchOptions.SectionName} is missing; set at least {ElasticsearchOptions.SectionName}:Urls:0.");
        return (section.Get<ElasticsearchOptions>() ?? new ElasticsearchOptions()).Validate();
    }
}
