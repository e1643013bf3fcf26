using EventSourcing.EventStore.Concurrency;
using EventSourcing.EventStore.Naming;
using EventSourcing.EventStore.Tests.Support;
using EventSourcing.EventStore.Validation;

namespace EventSourcing.EventStore.Tests.Validation;

[EventName("counter.note")]
public sealed record CounterNote(Guid CounterId, string Text);

public sealed record NotRegistered(Guid Id);

public sealed record NoName(Guid Id);

/// <summary>
/// Every store here points at a port where no PostgreSQL listens: an exception other than the
/// validation error would mean SQL was attempted.
/// </summary>
public sealed class ValidationTests : IAsyncLifetime
{
    private MartenEventStore _store = null!;

    public Task InitializeAsync()
    {
        var options = new EventStoreOptions { ConnectionString = "Host=127.0.0.1;Port=1;Username=nobody;Timeout=1", SchemaName = "nowhere", MaxEventPayloadBytes = 200 };
        options.Events.Register<CounterOpened>().Register<CounterIncremented>().Register<CounterNote>();
        _store = MartenEventStore.Create(options);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private static readonly Guid Id = Guid.NewGuid();

    [Fact]
    public async Task an_empty_stream_id_is_rejected()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            _store.AppendAsync(Guid.Empty, [new CounterOpened(Id, "x")], ExpectedVersion.Any, null, CancellationToken.None));
        Assert.Equal("streamId", error.ParamName);
        Assert.Contains("Guid.Empty", error.Message, StringComparison.Ordinal);

        await Assert.ThrowsAsync<ArgumentException>(() => _store.LoadAsync(Counter.Decider, Guid.Empty, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.ReadStreamAsync(Guid.Empty, 0, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.HandleAsync(Counter.Decider, Guid.Empty, new OpenCounter(Id, "x"), null, CancellationToken.None));
    }

    [Fact]
    public async Task a_null_event_list_is_rejected()
    {
        var error = await Assert.ThrowsAsync<ArgumentNullException>(() =>
            _store.AppendAsync(Id, null!, ExpectedVersion.Any, null, CancellationToken.None));
        Assert.Equal("events", error.ParamName);
    }

    [Fact]
    public async Task an_empty_event_list_is_rejected()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            _store.AppendAsync(Id, [], ExpectedVersion.Any, null, CancellationToken.None));
        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_null_event_in_the_list_is_rejected_by_position()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            _store.AppendAsync(Id, [new CounterOpened(Id, "x"), null!], ExpectedVersion.Any, null, CancellationToken.None));
        Assert.Contains("event #1 is null", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_unregistered_event_type_is_rejected_by_name()
    {
        var error = await Assert.ThrowsAsync<UnregisteredEventTypeException>(() =>
            _store.AppendAsync(Id, [new CounterOpened(Id, "x"), new NotRegistered(Id)], ExpectedVersion.Any, null, CancellationToken.None));
        Assert.Equal(typeof(NotRegistered), error.EventType);
        Assert.Contains(typeof(NotRegistered).FullName!, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_payload_over_the_limit_is_rejected_with_its_size()
    {
        var error = await Assert.ThrowsAsync<EventPayloadTooLargeException>(() =>
            _store.AppendAsync(Id, [new CounterNote(Id, new string('x', 500))], ExpectedVersion.Any, null, CancellationToken.None));
        Assert.Equal("counter.note", error.EventName);
        Assert.Equal(200, error.LimitBytes);
        Assert.True(error.SizeBytes > 500, $"size {error.SizeBytes}");
        Assert.Contains("over the limit of 200 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_empty_idempotency_key_is_rejected()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            _store.AppendAsync(Id, [new CounterOpened(Id, "x")], ExpectedVersion.Any, new AppendOptions { IdempotencyKey = " " }, CancellationToken.None));
        Assert.Contains("idempotency key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task bad_read_arguments_are_rejected()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _store.ReadStreamAsync(Id, -1, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _store.ReadAllAsync(-1, 10, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _store.ReadAllAsync(0, 0, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _store.LoadAtVersionAsync(Counter.Decider, Id, 0, CancellationToken.None));
    }

    [Fact]
    public void a_negative_expected_version_is_rejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ExpectedVersion.Exact(-1));
        Assert.Equal(-1L, error.ActualValue);
    }

    [Fact]
    public void registration_errors_name_the_type_and_the_name()
    {
        var registry = new EventTypeRegistry();
        var noName = Assert.Throws<ArgumentException>(() => registry.Register<NoName>());
        Assert.Contains(typeof(NoName).FullName!, noName.Message, StringComparison.Ordinal);

        registry.Register<CounterOpened>();
        var taken = Assert.Throws<ArgumentException>(() => registry.Register(typeof(NoName), "counter.opened"));
        Assert.Contains("'counter.opened' is already registered", taken.Message, StringComparison.Ordinal);

        var reserved = Assert.Throws<ArgumentException>(() => registry.Register(typeof(NoName), "no.name_v2"));
        Assert.Contains("_v<number>", reserved.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "eventstore", "ConnectionString")]
    [InlineData("Host=x", "Bad-Schema", "SchemaName 'Bad-Schema'")]
    public void options_are_validated_at_startup_naming_the_setting(string connection, string schema, string expected)
    {
        var options = new EventStoreOptions { ConnectionString = connection, SchemaName = schema };
        var error = Assert.Throws<InvalidOperationException>(options.Validate);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => MartenEventStore.Create(options));
    }
}
