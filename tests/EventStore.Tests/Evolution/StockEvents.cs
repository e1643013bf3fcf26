using EventSourcing.EventStore.Deciders;
using EventSourcing.EventStore.Naming;

#pragma warning disable MA0048, SA1402, CA1050
namespace EventSourcing.EventStore.Tests.Evolution.Release1
{
    /// <summary>What release 1 stored: the quantity as <c>qty</c>.</summary>
    [EventName("inventory.stock_received")]
    public sealed record StockReceived(string Sku, int Qty);
}

namespace EventSourcing.EventStore.Tests.Evolution.Today
{
    /// <summary>Release 2 renamed <c>Qty</c> to <c>Quantity</c> and raised the version, as the rename recipe says.</summary>
    [EventName("inventory.stock_received", Version = 2)]
    public sealed record StockReceived(string Sku, int Quantity);

    public sealed record Stock(IReadOnlyDictionary<string, int> OnHand)
    {
        public static Stock Initial { get; } = new(new Dictionary<string, int>(StringComparer.Ordinal));
    }

    public static class Inventory
    {
        public static Decider<Stock, object> Decider { get; } = new("inventory", Stock.Initial, (_, _) => [],
            (state, @event) => @event switch
            {
                StockReceived e => new Stock(new Dictionary<string, int>(state.OnHand, StringComparer.Ordinal) { [e.Sku] = state.OnHand.GetValueOrDefault(e.Sku) + e.Quantity }),
                _ => throw new ArgumentOutOfRangeException(nameof(@event), @event, "unknown event"),
            });

        /// <summary>The upcaster the rename needs: stored v1 JSON has <c>qty</c>.</summary>
        public static EventTypeRegistry WithUpcaster(EventTypeRegistry events) =>
            events.Register<StockReceived>().Upcast("inventory.stock_received", 1, json =>
            {
                json["quantity"] = json["qty"]!.DeepClone();
                json.Remove("qty");
                return json;
            });
    }
}
#pragma warning restore MA0048, SA1402, CA1050
