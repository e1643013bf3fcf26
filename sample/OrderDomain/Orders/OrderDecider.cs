using System.Globalization;

namespace OrderDomain.Orders;

/// <summary>
/// The Order aggregate as a pure decider: <see cref="Decide"/> turns a command and the current state into
/// new events (or throws <see cref="OrderRuleViolated"/>), <see cref="Evolve"/> folds one event into the state.
/// </summary>
public static class OrderDecider
{
    public static Order Initial => Order.Initial;

    public static IReadOnlyList<object> Decide(OrderCommand command, Order state)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(state);
        if (command is PlaceOrder && state.Exists)
            throw OrderRuleViolated.Conflict("order_exists", $"order {command.OrderId} already exists");
        OrderCommandRules.Validate(command);
        return command switch
        {
            PlaceOrder c => Place(c, state),
            AddItem c => Add(c, state),
            RemoveItem c => Remove(c, state),
            ConfirmPayment c => Pay(c, state),
            ShipOrder c => Ship(c, state),
            CancelOrder c => Cancel(c, state),
            _ => throw new ArgumentException($"unknown order command {command.GetType().Name}", nameof(command)),
        };
    }

    public static Order Evolve(Order state, object @event)
    {
        ArgumentNullException.ThrowIfNull(state);
        return @event switch
        {
            OrderPlaced e => state with
            {
                Id = e.OrderId,
                Status = OrderStatus.Placed,
                CustomerId = e.CustomerId,
                CustomerName = e.CustomerName,
                Lines = [.. e.Lines],
                ShippingAddress = e.ShippingAddress,
                Currency = e.Currency,
                PlacedAt = e.PlacedAt,
            },
            ItemAdded e => state with { Lines = Merge(state.Lines, e.Line) },
            ItemRemoved e => state with { Lines = [.. state.Lines.Where(l => l.Sku != e.Sku)] },
            PaymentConfirmed e => state with { Status = OrderStatus.Paid, PaidAt = e.PaidAt },
            OrderShipped e => state with { Status = OrderStatus.Shipped, ShippedAt = e.ShippedAt },
            OrderCancelled e => state with { Status = OrderStatus.Cancelled, CancelledAt = e.CancelledAt, CancellationReason = e.Reason },
            _ => throw new ArgumentException($"unknown order event {@event?.GetType().Name ?? "null"}", nameof(@event)),
        };
    }

    /// <summary>Folds a stream of events from <see cref="Initial"/>.</summary>
    public static Order Fold(IEnumerable<object> events) => events.Aggregate(Initial, Evolve);

    private static IReadOnlyList<object> Place(PlaceOrder c, Order state)
    {
        if (state.Exists)
            throw OrderRuleViolated.Conflict("order_exists", $"order {c.OrderId} already exists");
        return [new OrderPlaced(c.OrderId, c.CustomerId, c.CustomerName, c.Lines, c.ShippingAddress, c.At, c.Currency)];
    }

    private static IReadOnlyList<object> Add(AddItem c, Order state)
    {
        OrderRules.Exists(state, c.OrderId);
        OrderRules.Open(state, "add an item");
        OrderRules.Unpaid(state, "add an item");
        var existing = state.Lines.FirstOrDefault(l => l.Sku == c.Line.Sku);
        if (existing is null && state.Lines.Count >= OrderRules.MaxLines)
            throw OrderRuleViolated.Invalid("too_many_lines", $"an order may have at most {OrderRules.MaxLines.ToString(CultureInfo.InvariantCulture)} lines; cannot add '{c.Line.Sku}'");
        if (existing is not null && existing.UnitPrice != c.Line.UnitPrice)
            throw OrderRuleViolated.Invalid("price_mismatch", $"sku '{c.Line.Sku}' is already on the order at {existing.UnitPrice.ToString(CultureInfo.InvariantCulture)}, not {c.Line.UnitPrice.ToString(CultureInfo.InvariantCulture)}");
        if (existing is not null && existing.Quantity + c.Line.Quantity > OrderRules.MaxQuantity)
            throw OrderRuleViolated.Invalid("quantity_too_large", $"quantity of '{c.Line.Sku}' would exceed {OrderRules.MaxQuantity.ToString(CultureInfo.InvariantCulture)}");
        OrderRules.CheckedTotal(Merge(state.Lines, c.Line));
        return [new ItemAdded(c.OrderId, c.Line, c.At)];
    }

    private static IReadOnlyList<object> Remove(RemoveItem c, Order state)
    {
        OrderRules.Exists(state, c.OrderId);
        OrderRules.Open(state, "remove an item");
        OrderRules.Unpaid(state, "remove an item");
        if (state.Lines.All(l => l.Sku != c.Sku))
            throw OrderRuleViolated.Invalid("sku_not_on_order", $"sku '{c.Sku}' is not on order {c.OrderId}");
        if (state.Lines.Count == 1)
            throw OrderRuleViolated.Conflict("last_line", $"cannot remove '{c.Sku}', the last line of order {c.OrderId}; cancel the order instead");
        return [new ItemRemoved(c.OrderId, c.Sku, c.At)];
    }

    private static IReadOnlyList<object> Pay(ConfirmPayment c, Order state)
    {
        OrderRules.Exists(state, c.OrderId);
        OrderRules.Open(state, "confirm payment");
        if (state.Status == OrderStatus.Paid)
            throw OrderRuleViolated.Conflict("already_paid", $"order {c.OrderId} is already paid (at {state.PaidAt:O})");
        if (c.Amount != state.Total)
            throw OrderRuleViolated.Invalid("amount_mismatch", $"payment of {c.Amount.ToString(CultureInfo.InvariantCulture)} {state.Currency} does not match the order total {state.Total.ToString(CultureInfo.InvariantCulture)} {state.Currency}");
        return [new PaymentConfirmed(c.OrderId, state.CustomerId, c.Amount, state.Currency, c.PaymentReference, c.At)];
    }

    private static IReadOnlyList<object> Ship(ShipOrder c, Order state)
    {
        OrderRules.Exists(state, c.OrderId);
        OrderRules.Open(state, "ship");
        if (state.Status != OrderStatus.Paid)
            throw OrderRuleViolated.Conflict("not_paid", $"cannot ship order {c.OrderId} before payment");
        return [new OrderShipped(c.OrderId, c.Carrier, c.TrackingNumber, c.At)];
    }

    private static IReadOnlyList<object> Cancel(CancelOrder c, Order state)
    {
        OrderRules.Exists(state, c.OrderId);
        OrderRules.Open(state, "cancel");
        return [new OrderCancelled(c.OrderId, state.CustomerId, c.Reason, state.Status == OrderStatus.Paid ? state.Total : 0m, state.Currency, c.At)];
    }

    private static IReadOnlyList<OrderLine> Merge(IReadOnlyList<OrderLine> lines, OrderLine added)
    {
        var existing = lines.FirstOrDefault(l => l.Sku == added.Sku);
        return existing is null
            ? [.. lines, added]
            : [.. lines.Select(l => l.Sku == added.Sku ? l with { Quantity = l.Quantity + added.Quantity } : l)];
    }
}
