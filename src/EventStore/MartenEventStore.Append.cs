using System.Text;
using EventSourcing.EventStore.Concurrency;
using EventSourcing.EventStore.Idempotency;
using EventSourcing.EventStore.Storage;
using EventSourcing.EventStore.Validation;
using JasperFx.Events;
using Marten;
using Marten.Exceptions;
using Npgsql;

namespace EventSourcing.EventStore;

public sealed partial class MartenEventStore
{
    public Task<AppendResult> AppendAsync(Guid streamId, IReadOnlyList<object> events, ExpectedVersion expected,
        AppendOptions? options, CancellationToken ct)
    {
        AppendValidator.StreamId(streamId);
        _validator.Events(events);
        options ??= AppendOptions.None;
        AppendValidator.IdempotencyKey(options.IdempotencyKey);
        var hash = options.IdempotencyKey is null ? null : HashEvents(events);
        return AppendCoreAsync(streamId, events, expected, options, hash, aggregateType: null, keyChecked: false, ct);
    }

    private string HashEvents(IReadOnlyList<object> events)
    {
        var text = new StringBuilder();
        foreach (var @event in events)
            text.Append(Registry.Get(@event.GetType()).StoredName).Append('\n').Append(_serializer.ToJson(@event)).Append('\n');
        return IdempotencyStore.Hash(Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>
    /// Validated append: one transaction with the idempotency row; conflicts become <see cref="ConcurrencyException"/>.
    /// <paramref name="keyChecked"/>: the caller has just looked the idempotency key up (the command path), so
    /// no second look-up runs before the append; a key stored in between still fails the insert and is replayed.
    /// </summary>
    private async Task<AppendResult> AppendCoreAsync(Guid streamId, IReadOnlyList<object> events, ExpectedVersion expected,
        AppendOptions options, string? payloadHash, Type? aggregateType, bool keyChecked, CancellationToken ct)
    {
        var key = options.IdempotencyKey;
        if (key is not null && !keyChecked)
        {
            var existing = await _idempotency.FindAsync(key, ct).ConfigureAwait(false);
            if (existing is not null)
                return Replay(existing, streamId, payloadHash!);
        }

        StreamAction action;
        Exception? failure = null;
        await using (var own = await OwnPoolSession.OpenAsync(DocumentStore, _dataSource, ct).ConfigureAwait(false))
        {
            var session = own.Session;
            ApplyMetadata(session, options);
            action = Stage(session, streamId, events, expected, aggregateType);
            if (key is not null)
            {
                await _tables.EnsureCreatedAsync(ct).ConfigureAwait(false);
                long? firstVersion = expected.Kind switch
                {
                    ExpectedVersionKind.NoStream => 1,
                    ExpectedVersionKind.Exact => expected.Value + 1,
                    _ => null,
                };
                _idempotency.Queue(session, key, streamId, payloadHash!, firstVersion, events.Count, _options.SchemaName + ".mt_streams");
            }

            try
            {
                await session.SaveChangesAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (IsConflict(e) || (key is not null && IdempotencyStore.IsDuplicateKey(e)))
            {
                // handled below, after the connection went back to the pool (the look-ups need one)
                failure = e;
            }
        }

        if (failure is not null)
        {
            if (key is not null && await _idempotency.FindAsync(key, ct).ConfigureAwait(false) is { } existing)
                return Replay(existing, streamId, payloadHash!);
            if (!IsConflict(failure))
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            throw await ConflictAsync(streamId, expected, failure, ct).ConfigureAwait(false);
        }

        return await ResultOfAsync(streamId, action, events.Count, ct).ConfigureAwait(false);
    }

    private static void ApplyMetadata(IDocumentSession session, AppendOptions options)
    {
        if (options.CorrelationId is not null)
            session.CorrelationId = options.CorrelationId;
        if (options.CausationId is not null)
            session.CausationId = options.CausationId;
        if (options.Headers is not null)
        {
            foreach (var (name, value) in options.Headers)
                session.SetHeader(name, value);
        }
    }

    private static StreamAction Stage(IDocumentSession session, Guid streamId, IReadOnlyList<object> events, ExpectedVersion expected, Type? aggregateType) =>
        expected.Kind switch
        {
            ExpectedVersionKind.NoStream when aggregateType is not null => session.Events.StartStream(aggregateType, streamId, events),
            ExpectedVersionKind.NoStream => session.Events.StartStream(streamId, events),
            ExpectedVersionKind.Exact => session.Events.Append(streamId, expected.Value + events.Count, events),
            _ => session.Events.Append(streamId, events),
        };

    private async Task<AppendResult> ResultOfAsync(Guid streamId, StreamAction action, int count, CancellationToken ct)
    {
        var first = action.Events[0].Version;
        var last = action.Events[^1].Version;
        if (first <= 0 || last - first + 1 != count)
        {
            // Marten did not report versions back (append without expectation): read them.
            last = await QueryStreamVersionAsync(streamId, ct).ConfigureAwait(false);
            first = last - count + 1;
        }

        return new AppendResult(streamId, first, last, AlreadyApplied: false);
    }

    private static AppendResult Replay(IdempotencyRecord record, Guid streamId, string payloadHash)
    {
        if (record.StreamId != streamId || !string.Equals(record.PayloadHash, payloadHash, StringComparison.Ordinal))
            throw new IdempotencyKeyReusedException(record.Key, record.StreamId, streamId);
        return new AppendResult(streamId, record.FirstVersion, record.LastVersion, AlreadyApplied: true);
    }

    private static bool IsConflict(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case EventStreamUnexpectedMaxEventIdException:
                case Marten.Exceptions.ExistingStreamIdCollisionException:
                case JasperFx.Events.ExistingStreamIdCollisionException:
                case JasperFx.ConcurrencyException:
                    return true;
                case PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg
                    when pg.TableName is "mt_events" or "mt_streams" || pg.ConstraintName?.StartsWith("pkey_mt_", StringComparison.Ordinal) == true:
                    return true;
            }
        }

        return false;
    }

    private async Task<ConcurrencyException> ConflictAsync(Guid streamId, ExpectedVersion expected, Exception cause, CancellationToken ct)
    {
        var actual = await QueryStreamVersionAsync(streamId, ct).ConfigureAwait(false);
        return new ConcurrencyException(streamId, expected, actual, cause);
    }

    private async Task<long> QueryStreamVersionAsync(Guid streamId, CancellationToken ct)
    {
        await using var session = DocumentStore.QuerySession();
        var state = await session.Events.FetchStreamStateAsync(streamId, ct).ConfigureAwait(false);
        return state?.Version ?? 0;
    }
}
