using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace EventSourcing.EventStore.Configuration;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Marten <see cref="IDocumentStore"/> (configured by <see cref="MartenConfiguration"/>),
    /// the <see cref="EventStoreOptions"/> and <see cref="IEventStore"/> as singletons. Options are validated
    /// here, at startup. Returns Marten's configuration expression so the host can chain Marten/Wolverine
    /// integrations (e.g. <c>.AddAsyncDaemon(...)</c>, <c>.IntegrateWithWolverine()</c>).
    /// </summary>
    public static MartenServiceCollectionExtensions.MartenConfigurationExpression AddEventStore(
        this IServiceCollection services, Action<EventStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new EventStoreOptions();
        configure(options);
        options.Validate();

        services.TryAddSingleton(options);
        services.TryAddSingleton(options.Events);
        services.TryAddSingleton<MartenEventStore>(sp =>
            new MartenEventStore(sp.GetRequiredService<IDocumentStore>(), options, sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton<IEventStore>(sp => sp.GetRequiredService<MartenEventStore>());
        return services.AddMarten(_ => MartenConfiguration.CreateStoreOptions(options));
    }
}
