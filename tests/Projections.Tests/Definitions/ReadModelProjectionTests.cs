using EventSourcing.Projections.Definitions;
using EventSourcing.Projections.Tests.Support;

namespace EventSourcing.Projections.Tests.Definitions;

public sealed class ReadModelProjectionTests
{
    private static readonly Guid Order = Guid.Parse("7d5f4c0e-6a55-4e3a-9d1e-0f2b8c7a1b11");
    private readonly OrderSummaryProjection _projection = new(brokenOnNote: "boom");

    private static ProjectedEvent Event(object data, long sequence = 1) =>
        new(data, sequence, Order.ToString("D"), Guid.NewGuid(), data.GetType().Name, DateTimeOffset.UnixEpoch);

    [Fact]
    public void keys_come_from_the_event_or_the_stream_in_a_stable_string_form()
    {
        Assert.Equal(Order.ToString("D"), _projection.KeyOf(Event(new OrderPlaced(Order, "ann", 1m))));
        Assert.Equal(Order.ToString("D"), _projection.KeyOf(Event(new OrderNoted(Guid.NewGuid(), "by stream"))));
    }

    [Fact]
    public void create_update_and_delete_are_pure_functions_of_document_and_event()
    {
        var placed = (OrderSummary)_projection.Apply(null, Event(new OrderPlaced(Order, "ann", 5m)))!;
        var shipped = (OrderSummary)_projection.Apply(placed, Event(new OrderShipped(Order, "dhl")))!;

        Assert.Equal(new OrderSummary(Order, "ann", 5m, "placed", 1), placed);
        Assert.Equal(placed with { Status = "shipped by dhl", Changes = 2 }, shipped);
        Assert.Null(_projection.Apply(shipped, Event(new OrderPurged(Order))));
    }

    [Fact]
    public void an_update_of_a_missing_document_names_the_projection_event_and_key()
    {
        var error = Assert.Throws<ProjectionException>(() => _projection.Apply(null, Event(new OrderShipped(Order, "dhl"), 42)));

        Assert.Contains("order_summary", error.Message, StringComparison.Ordinal);
        Assert.Contains("#42", error.Message, StringComparison.Ordinal);
        Assert.Contains(Order.ToString("D"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void an_unhandled_event_type_and_an_empty_key_are_errors_you_can_see()
    {
        Assert.Throws<ProjectionException>(() => _projection.KeyOf(Event(new OrderAudited(Order))));
        Assert.Throws<ProjectionException>(() => _projection.KeyOf(Event(new OrderPlaced(Guid.Empty, "ann", 1m))));
    }

    [Fact]
    public void events_of_interleaved_types_each_reach_their_own_handler()
    {
        // Runs of one type and alternating types: the handler lookup must never reuse the previous type's handler.
        var other = Guid.Parse("0b6a3f1e-2c4d-4e5f-8a9b-1c2d3e4f5a6b");
        var first = (OrderSummary)_projection.Apply(null, Event(new OrderPlaced(Order, "ann", 5m), 1))!;
        var second = (OrderSummary)_projection.Apply(null, Event(new OrderPlaced(other, "bob", 7m), 2))!;
        var shipped = (OrderSummary)_projection.Apply(first, Event(new OrderShipped(Order, "dhl"), 3))!;
        var noted = (OrderSummary)_projection.Apply(second, Event(new OrderNoted(other, "gift wrap"), 4))!;
        var purged = _projection.Apply(shipped, Event(new OrderPurged(Order), 5));

        Assert.Equal(("ann", "placed"), (first.Customer, first.Status));
        Assert.Equal(("bob", "placed"), (second.Customer, second.Status));
        Assert.Equal("shipped by dhl", shipped.Status);
        Assert.Equal(2, noted.Changes);
        Assert.Null(purged);
        Assert.Equal(other.ToString("D"), _projection.KeyOf(Event(new OrderPlaced(other, "bob", 7m))));
        Assert.Equal(Order.ToString("D"), _projection.KeyOf(Event(new OrderShipped(Order, "dhl"))));
    }

    [Fact]
    public void a_declaration_without_its_function_fails_when_declared_rather_than_at_the_first_event()
    {
        Assert.Throws<ArgumentNullException>(() => new MissingApply());
    }

    private sealed class MissingApply : ReadModelProjection<OrderSummary>
    {
        public MissingApply() : base("missing_apply", version: 1) =>
            Project<OrderShipped>(e => e.OrderId, null!);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Orders")]
    [InlineData("1orders")]
    [InlineData("orders-search")]
    public void an_invalid_name_is_rejected_naming_it(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => new OrderSummaryProjection(name));

        Assert.Contains($"'{name}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void search_index_definitions_are_plain_json_and_malformed_json_fails_naming_the_part()
    {
        Assert.Equal("keyword", _projection.SearchIndex!.Mappings["properties"]!["status"]!["type"]!.GetValue<string>());
        var error = Assert.Throws<ArgumentException>(() => SearchIndexDefinition.Parse("{}", "{not json"));
        Assert.Contains("settings", error.Message, StringComparison.Ordinal);
    }
}

public sealed class ProjectionsOptionsTests
{
    [Fact]
    public void options_never_print_the_password_and_missing_settings_fail_naming_them()
    {
        var options = new Projections.Hosting.ProjectionsOptions { ConnectionString = "Host=db;Database=events;Username=app;Password=s3cret" };

        Assert.DoesNotContain("s3cret", options.ToString(), StringComparison.Ordinal);
        Assert.Contains("db/events", options.ToString(), StringComparison.Ordinal);
        var missing = Assert.Throws<InvalidOperationException>(() => new Projections.Hosting.ProjectionsOptions().Validate());
        Assert.Contains("ConnectionString", missing.Message, StringComparison.Ordinal);
        var batch = Assert.Throws<InvalidOperationException>(() => (options with { BatchSize = 0 }).Validate());
        Assert.Contains("BatchSize", batch.Message, StringComparison.Ordinal);
    }
}
