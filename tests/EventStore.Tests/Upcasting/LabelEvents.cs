using System.Text.Json.Nodes;
using EventSourcing.EventStore.Deciders;
using EventSourcing.EventStore.Naming;
using EventSourcing.EventStore.Upcasting;

namespace EventSourcing.EventStore.Tests.Upcasting;

// What an older release of the service wrote.
[EventName("counter.labelled")]
public sealed record LabelledV1(Guid CounterId, string Label);

[EventName("counter.labelled", Version = 2)]
public sealed record LabelledV2(Guid CounterId, string Text, string Language);

[EventName("counter.tagged")]
public sealed record TaggedV1(Guid CounterId, string Tag);

[EventName("counter.bumped-twice")]
public sealed record BumpedTwiceV1(Guid CounterId, int First, int Second);

// What the service reads today.
public sealed record LabelText(string Text, string Language);

[EventName("counter.labelled", Version = 3)]
public sealed record CounterLabelled(Guid CounterId, LabelText Label);

public sealed record LabelState(IReadOnlyList<LabelText> Labels, long Total)
{
    public static LabelState Initial { get; } = new([], 0);
}

public static class Labels
{
    public static Decider<LabelState, object> Decider { get; } = new("labels", LabelState.Initial,
        (_, _) => [],
        (state, @event) => @event switch
        {
            CounterLabelled e => state with { Labels = [.. state.Labels, e.Label] },
            Support.CounterIncremented e => state with { Total = state.Total + e.By },
            Support.CounterOpened => state,
            _ => throw new ArgumentOutOfRangeException(nameof(@event), @event, "unknown event"),
        });

    /// <summary>The upcasters of today's release: v1 -> v2 -> v3, the tagged rename and the bumped-twice split.</summary>
    public static void Register(EventTypeRegistry registry)
    {
        registry
            .Register<CounterLabelled>()
            .Upcast("counter.labelled", fromVersion: 1, v1 => new JsonObject
            {
                ["counterId"] = v1["counterId"]!.DeepClone(),
                ["text"] = v1["label"]!.DeepClone(),
                ["language"] = "en",
            })
            .Upcast("counter.labelled", fromVersion: 2, v2 => new JsonObject
            {
                ["counterId"] = v2["counterId"]!.DeepClone(),
                ["label"] = new JsonObject { ["text"] = v2["text"]!.DeepClone(), ["language"] = v2["language"]!.DeepClone() },
            })
            .Rename("counter.tagged", 1, "counter.labelled", 2, tagged => new JsonObject
            {
                ["counterId"] = tagged["counterId"]!.DeepClone(),
                ["text"] = tagged["tag"]!.DeepClone(),
                ["language"] = "und",
            })
            .Split("counter.bumped-twice", 1, [new UpcastTarget("counter.incremented", 1)], bumped =>
            [
                new UpcastedPayload("counter.incremented", 1, new JsonObject { ["counterId"] = bumped["counterId"]!.DeepClone(), ["by"] = bumped["first"]!.DeepClone() }),
                new UpcastedPayload("counter.incremented", 1, new JsonObject { ["counterId"] = bumped["counterId"]!.DeepClone(), ["by"] = bumped["second"]!.DeepClone() }),
            ]);
    }
}
