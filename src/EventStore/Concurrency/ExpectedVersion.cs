using System.Globalization;

namespace EventSourcing.EventStore.Concurrency;

/// <summary>What the caller believes about the stream before appending.</summary>
public enum ExpectedVersionKind
{
    /// <summary>Append whatever the stream's version is (no check).</summary>
    Any,

    /// <summary>The stream must not exist yet.</summary>
    NoStream,

    /// <summary>The stream must be at exactly <see cref="ExpectedVersion.Value"/>.</summary>
    Exact,
}

/// <summary>
/// The optimistic-concurrency expectation for an append. Stream versions start at 1 (the first event);
/// a stream that does not exist is at version 0, so <c>Exact(0)</c> means the same as <see cref="NoStream"/>.
/// </summary>
public readonly record struct ExpectedVersion
{
    private ExpectedVersion(ExpectedVersionKind kind, long value)
    {
        Kind = kind;
        Value = value;
    }

    public ExpectedVersionKind Kind { get; }

    /// <summary>The expected version for <see cref="ExpectedVersionKind.Exact"/>; 0 otherwise.</summary>
    public long Value { get; }

    public static ExpectedVersion Any { get; } = new(ExpectedVersionKind.Any, 0);

    public static ExpectedVersion NoStream { get; } = new(ExpectedVersionKind.NoStream, 0);

    public static ExpectedVersion Exact(long version)
    {
        if (version < 0)
            throw new ArgumentOutOfRangeException(nameof(version), version, "expected version must be 0 (no stream) or more");
        return version == 0 ? NoStream : new ExpectedVersion(ExpectedVersionKind.Exact, version);
    }

    public override string ToString() => Kind switch
    {
        ExpectedVersionKind.Exact => Value.ToString(CultureInfo.InvariantCulture),
        ExpectedVersionKind.NoStream => "no-stream",
        _ => "any",
    };
}
