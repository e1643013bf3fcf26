using EventSourcing.EventStore;
using EventSourcing.EventStore.Concurrency;
using EventSourcing.EventStore.Idempotency;

namespace OrderDomain.Orders.Http;

/// <summary>
/// Runs one order command against the event store for an HTTP request: honours If-Match (the decision
/// requires exactly that version) and Idempotency-Key (recorded in the append transaction; a retry returns
/// the first result), records the authenticated caller on every event, and maps every outcome to a response.
/// </summary>
public sealed class OrderCommands(IEventStore store, TimeProvider clock, Security.CommandActor? actor = null)
{
    public const int MaxIdempotencyKeyLength = 200;

    public DateTimeOffset Now => clock.GetUtcNow();

    public async Task<IResult> ExecuteAsync(Guid orderId, Func<DateTimeOffset, OrderCommand> command, string? ifMatch,
        string? idempotencyKey, bool creates, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        long? expected = null;
        if (ifMatch is not null)
        {
            if (!OrderETag.TryParse(ifMatch, out var parsed))
                return OrderProblems.BadRequest("if_match_invalid", $"If-Match must be an order version such as \"3\", was '{OrderProblems.Shorten(ifMatch)}'");
            expected = parsed;
        }

        if (idempotencyKey is not null && (string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > MaxIdempotencyKeyLength || TextRules.FirstInvalid(idempotencyKey) is not null))
            return OrderProblems.BadRequest("idempotency_key_invalid", $"Idempotency-Key must be 1 to {MaxIdempotencyKeyLength} characters without control characters, was '{OrderProblems.Shorten(idempotencyKey)}'");

        var options = idempotencyKey is null ? AppendOptions.None : new AppendOptions { IdempotencyKey = $"order:{orderId:N}:{idempotencyKey}" };
        options = options with { Headers = actor?.Headers() }; // who sent the command, on every event it appends
        try
        {
            // validated before the order is loaded; the decider checks again what depends on its state
            var toRun = command(Now);
            OrderCommandRules.Validate(toRun);
            var result = expected is { } version
                ? await store.HandleAsync(OrderAggregate.Decider, orderId, toRun, ExpectedVersion.Exact(version), options, ct)
                : await store.HandleAsync(OrderAggregate.Decider, orderId, toRun, options, ct);
            var body = new OrderCommandResponse(orderId, result.Version, OrderView.StatusName(result.State.Status), result.AlreadyApplied);
            return new OrderCommandResult(body, creates);
        }
        catch (OrderRuleViolated e)
        {
            return OrderProblems.RuleViolated(e);
        }
        catch (ConcurrencyException e)
        {
            return OrderProblems.VersionConflict(orderId, expected ?? e.Expected.Value, e.ActualVersion);
        }
        catch (IdempotencyKeyReusedException)
        {
            return OrderProblems.IdempotencyKeyReused(idempotencyKey!);
        }
        catch (OverflowException)
        {
            // only an order written before the limits existed can overflow (the rules keep new ones in range)
            return OrderProblems.Unreadable(orderId);
        }
    }
}
