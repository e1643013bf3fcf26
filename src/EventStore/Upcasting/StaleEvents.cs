namespace EventSourcing.EventStore.Upcasting;

/// <summary>Finds the <see cref="StaleEventVersionException"/> that Marten wraps (in its deserialization failure) on the way out.</summary>
public static class StaleEvents
{
    /// <summary>The stale-version rejection in <paramref name="error"/> or its inner exceptions, or null.</summary>
    public static StaleEventVersionException? Find(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is StaleEventVersionException stale)
                return stale;
            if (e is AggregateException { InnerExceptions.Count: 1 } aggregate)
                return Find(aggregate.InnerExceptions[0]);
        }

        return null;
    }
}
