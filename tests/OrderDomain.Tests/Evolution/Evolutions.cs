using System.Text.Json.Nodes;
using EventSourcing.EventStore.Naming;
using EventSourcing.EventStore.Upcasting;
using EventSourcing.SchemaTools.Compatibility;
using Inv = EventSourcing.OrderDomain.Tests.Evolution.Inventory;

namespace EventSourcing.OrderDomain.Tests.Evolution;

/// <summary>
/// One way release 2 changed release 1's events: today's types and upcasters, how today's code describes
/// each event (the state every read path must reproduce), and what the gate must say. <see cref="Expected"/>
/// is null when the evolution is wrong and must be rejected at runtime and by the gate.
/// </summary>
public sealed record Evolution(
    string Name,
    string Namespace,
    Action<EventTypeRegistry> Configure,
    Func<object, IEnumerable<string>> Describe,
    IReadOnlyList<string>? Expected,
    string? GateFinding,
    CompatibilityLevel Level = CompatibilityLevel.Backward)
{
    public override string ToString() => Name;

    /// <summary>What release 1 stored, in one stream.</summary>
    public static IReadOnlyList<object> ReleaseOne { get; } =
    [
        new Inv.Release1.StockReceived("TEA-1", 7, "first pallet"),
        new Inv.Release1.StockReceived("TEA-1", 5, "top-up"),
        new Inv.Release1.StockMoved("TEA-1", "dock", "shelf", 3),
    ];

    private static readonly IReadOnlyList<string> Received = ["received TEA-1 7", "received TEA-1 5", "moved TEA-1 dock>shelf 3"];

    public static Evolution RenameAliasOnly { get; } = new(
        "rename with alias only", "RenameAliasOnly",
        r => r.Register<Inv.RenameAliasOnly.StockReceived>().Register<Inv.RenameAliasOnly.StockMoved>(),
        e => e switch
        {
            Inv.RenameAliasOnly.StockReceived r => [$"received {r.Sku} {r.Quantity}"],
            Inv.RenameAliasOnly.StockMoved m => [$"moved {m.Sku} {m.From}>{m.To} {m.Qty}"],
            _ => throw new ArgumentOutOfRangeException(nameof(e), e, "not an inventory event"),
        },
        Expected: null,
        GateFinding: "inventory.stock_received: quantity: MISSING_UPCASTER: stored 'inventory.stock_received' events of event version 1 (catalog v1) hold this field as 'qty': " +
                     "the Avro alias lets Avro readers find it, but the event store binds stored JSON by name and would leave quantity at its default; " +
                     "register an upcaster from version 1 that renames 'qty' to 'quantity'");

    public static Evolution RenameWithUpcaster { get; } = new(
        "rename with upcaster", "RenameWithUpcaster",
        r => r.Register<Inv.RenameWithUpcaster.StockReceived>().Register<Inv.RenameWithUpcaster.StockMoved>()
            .Upcast("inventory.stock_received", 1, json => Renamed(json, "qty", "quantity")),
        e => e switch
        {
            Inv.RenameWithUpcaster.StockReceived r => [$"received {r.Sku} {r.Quantity}"],
            Inv.RenameWithUpcaster.StockMoved m => [$"moved {m.Sku} {m.From}>{m.To} {m.Qty}"],
            _ => throw new ArgumentOutOfRangeException(nameof(e), e, "not an inventory event"),
        },
        Received, GateFinding: null);

    public static Evolution RetypeWithUpcaster { get; } = new(
        "retype with upcaster", "Retype",
        r => r.Register<Inv.Retype.StockReceived>().Register<Inv.Retype.StockMoved>()
            .Upcast("inventory.stock_received", 1, json =>
            {
                json["qty"] = new JsonObject { ["amount"] = json["qty"]!.DeepClone(), ["unit"] = "pcs" };
                return json;
            }),
        DescribeRetype,
        ["received TEA-1 7 pcs", "received TEA-1 5 pcs", "moved TEA-1 dock>shelf 3"], GateFinding: null, CompatibilityLevel.None);

    /// <summary>The retype with its upcaster forgotten.</summary>
    public static Evolution RetypeForgotten { get; } = new(
        "retype without upcaster", "Retype",
        r => r.Register<Inv.Retype.StockReceived>().Register<Inv.Retype.StockMoved>(),
        DescribeRetype,
        Expected: null,
        GateFinding: "inventory.stock_received: qty: MISSING_UPCASTER: stored 'inventory.stock_received' events of event version 1 (catalog v1) hold this field as int, " +
                     "which the current record Measure does not bind; register an upcaster from version 1 that converts 'qty'",
        CompatibilityLevel.None);

    public static Evolution FieldRemoved { get; } = new(
        "field removed", "FieldRemoved",
        r => r.Register<Inv.FieldRemoved.StockReceived>().Register<Inv.FieldRemoved.StockMoved>(),
        e => e switch
        {
            Inv.FieldRemoved.StockReceived r => [$"received {r.Sku} {r.Qty}"],
            Inv.FieldRemoved.StockMoved m => [$"moved {m.Sku} {m.From}>{m.To} {m.Qty}"],
            _ => throw new ArgumentOutOfRangeException(nameof(e), e, "not an inventory event"),
        },
        Received, GateFinding: null);

    public static Evolution Split { get; } = new(
        "type split into two", "Split",
        r => r.Register<Inv.Split.StockReceived>().Register<Inv.Split.StockRemoved>().Register<Inv.Split.StockAdded>()
            .Split("inventory.stock_moved", 1, [new UpcastTarget("inventory.stock_removed", 1), new UpcastTarget("inventory.stock_added", 1)], moved =>
            [
                new UpcastedPayload("inventory.stock_removed", 1, new JsonObject { ["sku"] = moved["sku"]!.DeepClone(), ["location"] = moved["from"]!.DeepClone(), ["qty"] = moved["qty"]!.DeepClone() }),
                new UpcastedPayload("inventory.stock_added", 1, new JsonObject { ["sku"] = moved["sku"]!.DeepClone(), ["location"] = moved["to"]!.DeepClone(), ["qty"] = moved["qty"]!.DeepClone() }),
            ]),
        DescribeSplit,
        ["received TEA-1 7", "received TEA-1 5", "removed TEA-1 dock 3", "added TEA-1 shelf 3"], GateFinding: null);

    /// <summary>The split with its upcaster forgotten: the old type name is no current type.</summary>
    public static Evolution SplitForgotten { get; } = new(
        "type split without upcaster", "Split",
        r => r.Register<Inv.Split.StockReceived>().Register<Inv.Split.StockRemoved>().Register<Inv.Split.StockAdded>(),
        DescribeSplit,
        Expected: null,
        GateFinding: "inventory.stock_moved: (root): MISSING_UPCASTER: stored 'inventory.stock_moved' events of event version 1 (catalog v1) have no current event type " +
                     "and no upcaster from version 1 is registered; register the rename (EventTypeRegistry.Rename) or split (EventTypeRegistry.Split) that turns them into current events");

    public static IReadOnlyList<Evolution> All { get; } = [RenameAliasOnly, RenameWithUpcaster, RetypeWithUpcaster, RetypeForgotten, FieldRemoved, Split, SplitForgotten];

    private static IEnumerable<string> DescribeRetype(object e) => e switch
    {
        Inv.Retype.StockReceived r => [$"received {r.Sku} {r.Qty.Amount} {r.Qty.Unit}"],
        Inv.Retype.StockMoved m => [$"moved {m.Sku} {m.From}>{m.To} {m.Qty}"],
        _ => throw new ArgumentOutOfRangeException(nameof(e), e, "not an inventory event"),
    };

    private static IEnumerable<string> DescribeSplit(object e) => e switch
    {
        Inv.Split.StockReceived r => [$"received {r.Sku} {r.Qty}"],
        Inv.Split.StockRemoved r => [$"removed {r.Sku} {r.Location} {r.Qty}"],
        Inv.Split.StockAdded a => [$"added {a.Sku} {a.Location} {a.Qty}"],
        _ => throw new ArgumentOutOfRangeException(nameof(e), e, "not an inventory event"),
    };

    private static JsonObject Renamed(JsonObject json, string from, string to)
    {
        json[to] = json[from]!.DeepClone();
        json.Remove(from);
        return json;
    }
}
