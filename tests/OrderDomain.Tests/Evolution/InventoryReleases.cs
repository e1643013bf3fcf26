using EventSourcing.EventStore.Naming;
using EventSourcing.SchemaTools.Generation;

// One namespace per release of an inventory service: what release 1 stored, and each way release 2 changed it.
// The CLR class names stay the same across releases (StockReceived), as in the report that started this:
// the stored CLR type column then names today's class, which is what let old events bind with defaults.
#pragma warning disable MA0048, SA1402, CA1050
namespace EventSourcing.OrderDomain.Tests.Evolution.Inventory.Release1
{
    [EventName("inventory.stock_received")]
    public sealed record StockReceived(string Sku, int Qty, string Note);

    [EventName("inventory.stock_moved")]
    public sealed record StockMoved(string Sku, string From, string To, int Qty);
}

namespace EventSourcing.OrderDomain.Tests.Evolution.Inventory.RenameAliasOnly
{
    /// <summary>The recipe followed halfway: alias and version bump, no upcaster.</summary>
    [EventName("inventory.stock_received", Version = 2)]
    public sealed record StockReceived(string Sku, [AvroAliases("qty")] int Quantity, string Note);

    [EventName("inventory.stock_moved")]
    public sealed record StockMoved(string Sku, string From, string To, int Qty);
}

namespace EventSourcing.OrderDomain.Tests.Evolution.Inventory.RenameWithUpcaster
{
    [EventName("inventory.stock_received", Version = 2)]
    public sealed record StockReceived(string Sku, [AvroAliases("qty")] int Quantity, string Note);

    [EventName("inventory.stock_moved")]
    public sealed record StockMoved(string Sku, string From, string To, int Qty);
}

namespace EventSourcing.OrderDomain.Tests.Evolution.Inventory.Retype
{
    public sealed record Measure(decimal Amount, string Unit);

    /// <summary>The quantity became a measure with a unit (an Avro TYPE_MISMATCH: the subject is at NONE, the upcaster is the safety net).</summary>
    [EventName("inventory.stock_received", Version = 2)]
    public sealed record StockReceived(string Sku, Measure Qty, string Note);

    [EventName("inventory.stock_moved")]
    public sealed record StockMoved(string Sku, string From, string To, int Qty);
}

namespace EventSourcing.OrderDomain.Tests.Evolution.Inventory.FieldRemoved
{
    /// <summary>The note is gone; no version bump, no upcaster: old events bind, the note is dropped.</summary>
    [EventName("inventory.stock_received")]
    public sealed record StockReceived(string Sku, int Qty);

    [EventName("inventory.stock_moved")]
    public sealed record StockMoved(string Sku, string From, string To, int Qty);
}

namespace EventSourcing.OrderDomain.Tests.Evolution.Inventory.Split
{
    [EventName("inventory.stock_received")]
    public sealed record StockReceived(string Sku, int Qty, string Note);

    /// <summary>A move is now two events: removed from one location, added to another.</summary>
    [EventName("inventory.stock_removed")]
    public sealed record StockRemoved(string Sku, string Location, int Qty);

    [EventName("inventory.stock_added")]
    public sealed record StockAdded(string Sku, string Location, int Qty);
}
#pragma warning restore MA0048, SA1402, CA1050
