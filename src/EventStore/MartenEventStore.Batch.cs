using EventSourcing.EventStore.Concurrency;
using EventSourcing.EventStore.Validation;
using JasperFx.Events;

namespace EventSourcing.EventStore;

public sealed partial class MartenEventStore
{
    public async Task<IReadOnlyList<AppendResult>> AppendBatchAsync(IReadOnlyList<StreamAppend> appends, AppendOptions? options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(appends);
        if (appends.Count == 0)
            throw new ArgumentException("the batch is empty; it needs at least one stream", nameof(appends));
        options ??= AppendOptions.None;
        if (options.IdempotencyKey is not null)
            throw new ArgumentException("a batch append takes no idempotency key; use AppendAsync per stream", nameof(options));
        var seen = new HashSet<Guid>();
        for (var i = 0; i < appends.Count; i++)
        {
            var append = appends[i] ?? throw new ArgumentException($"batch entry #{i} is null", nameof(appends));
            AppendValidator.StreamId(append.StreamId);
            if (!seen.Add(append.StreamId))
                throw new ArgumentException($"stream {append.StreamId} appears twice in the batch; merge its events into one entry", nameof(appends));
            _validator.Events(append.Events);
        }

        await using var session = DocumentStore.LightweightSession();
        ApplyMetadata(session, options);
        var actions = new StreamAction[appends.Count];
        for (var i = 0; i < appends.Count; i++)
            actions[i] = Stage(session, appends[i].StreamId, appends[i].Events, appends[i].Expected, aggregateType: null);

        try
        {
            await session.SaveChangesAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (IsConflict(e))
        {
            // name the first stream whose expectation no longer holds
            foreach (var append in appends)
            {
                var actual = await QueryStreamVersionAsync(append.StreamId, ct).ConfigureAwait(false);
                var holds = append.Expected.Kind switch
                {
                    ExpectedVersionKind.NoStream => actual == 0,
                    ExpectedVersionKind.Exact => actual == append.Expected.Value,
                    _ => true,
                };
                if (!holds)
                    throw new ConcurrencyException(append.StreamId, append.Expected, actual, e);
            }

            throw;
        }

        var results = new AppendResult[appends.Count];
        for (var i = 0; i < appends.Count; i++)
            results[i] = await ResultOfAsync(appends[i].StreamId, actions[i], appends[i].Events.Count, ct).ConfigureAwait(false);
        return results;
    }
}
