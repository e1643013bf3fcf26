using EventSourcing.SchemaTools.Discovery;
using EventSourcing.SchemaTools.Generation;
using EventSourcing.SchemaTools.Tests.Cli;
using EventSourcing.SchemaTools.Tests.Cli.Fixtures.ExtensionConfiguration;

namespace EventSourcing.SchemaTools.Tests.Discovery;

public sealed class EventTypeSourceTests
{
    private static readonly System.Reflection.Assembly Tests = typeof(EventTypeSourceTests).Assembly;

    [Fact]
    public void a_registry_extension_method_is_the_configuration_and_only_its_types_count()
    {
        var source = EventTypeSource.FromAssemblies([Tests], member: null, [$"{CliRun.FixturesNamespace}.ExtensionConfiguration"]);

        Assert.Equal($"{CliRun.FixturesNamespace}.ExtensionConfiguration.CartEventTypes.RegisterCartEvents", source.Description);
        Assert.Equal([new EventType(typeof(CartEmptied), "shop.cart-emptied", 1)], source.Events);
        Assert.NotNull(source.Registry);
    }

    [Fact]
    public void without_a_configuration_every_event_name_type_is_used_and_no_upcaster_is_known()
    {
        var source = EventTypeSource.FromAssemblies([Tests], member: null, [$"{CliRun.FixturesNamespace}.V1"]);

        Assert.Null(source.Registry);
        Assert.Contains(source.Events, e => e.Name == "shop.order-placed");
        Assert.False(source.Upcasters.CanUpcast("shop.order-placed", 1, 2));
    }

    [Fact]
    public void several_configurations_must_be_disambiguated()
    {
        var error = Assert.Throws<InvalidOperationException>(() => EventTypeSource.FromAssemblies([Tests], member: null, [CliRun.FixturesNamespace]));

        Assert.Contains("several event type configurations found", error.Message, StringComparison.Ordinal);
        Assert.Contains("--event-types", error.Message, StringComparison.Ordinal);
    }
}
