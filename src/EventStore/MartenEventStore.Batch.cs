using EventSourcing.EventStore.Concurrency;
using EventSourcing.EventStore.Storage;
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

        var actions = new StreamAction[appends.Count];
        Exception? conflict = null;
        await using (var own = await OwnPoolSession.OpenAsync(DocumentStore, _dataSource, ct).ConfigureAwait(false))
        {
            ApplyMetadata(own.Session, options);
            for (var i = 0; i < appends.Count; i++)
                actions[i] = Stage(own.Session, appends[i].StreamId, appends[i].Events, appends[i].Expected, aggregateType: null);

            try
            {
                await own.Session.SaveChangesAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (IsConflict(e))
            {
                conflict = e;
            }
        }

        if (conflict is not null)
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
                    throw new ConcurrencyException(append.StreamId, append.Expected, actual, conflict);
            }

            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(conflict);
        }

        var results = new AppendResult[appends.Count];
        for (var i = 0; i < appends.Count; i++)
            results[i] = await ResultOfAsync(appends[i].StreamId, actions[i], appends[i].Events.Count, ct).ConfigureAwait(false);
        return results;
    }
}
