using System.Security.Cryptography.X509Certificates;
using Elastic.Clients.Elasticsearch;
using Elastic.Transport;

namespace EventSourcing.Projections.Sinks.Elasticsearch;

/// <summary>
/// Builds the official <see cref="ElasticsearchClient"/> from validated <see cref="ElasticsearchOptions"/>:
/// node pool, API key or basic authentication, and TLS trust by certificate fingerprint or CA file.
/// Tests pass an <see cref="IRequestInvoker"/> (an in-memory transport) instead of the network.
/// </summary>
public static class ElasticsearchClientFactory
{
    public static ElasticsearchClient Create(ElasticsearchOptions options, IRequestInvoker? requestInvoker = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        NodePool pool = options.Urls.Count == 1
            ? new SingleNodePool(options.Urls[0])
            : new StaticNodePool(options.Urls, randomize: false);
        var settings = requestInvoker is null
            ? new ElasticsearchClientSettings(pool)
            : new ElasticsearchClientSettings(pool, requestInvoker);

        settings.RequestTimeout(options.RequestTimeout);
        settings.ThrowExceptions(alwaysThrow: false);
        settings.EnableHttpCompression(options.HttpCompression);

        // The transport copies every request body into a stream from this factory before sending it (both the HTTP
        // and the in-memory invoker). The default allocates a fresh MemoryStream that doubles its way up to the size
        // of each bulk body; the recyclable one rents pooled blocks, so a bulk write no longer allocates its body twice.
        settings.MemoryStreamFactory(RecyclableMemoryStreamFactory.Default);

        if (options.ApiKey is not null)
            settings.Authentication(new ApiKey(options.ApiKey));
        else if (options.Username is not null)
            settings.Authentication(new BasicAuthentication(options.Username, options.Password!));

        if (options.CertificateFingerprint is not null)
            settings.CertificateFingerprint(options.CertificateFingerprint);
        else if (options.CertificateAuthorityPath is not null)
        {
            var authority = X509CertificateLoader.LoadCertificateFromFile(options.CertificateAuthorityPath);
            settings.ServerCertificateValidationCallback(CertificateValidations.AuthorityIsRoot(authority));
        }

        return new ElasticsearchClient(settings);
    }
}
