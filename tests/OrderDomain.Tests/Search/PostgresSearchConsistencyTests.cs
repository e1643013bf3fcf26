using System.Collections.Concurrent;
using EventSourcing.Projections.Sinks;
using EventSourcing.Projections.Sinks.Postgres;
using EventSourcing.TestInfrastructure;
using Npgsql;
using OrderDomain.Search;

namespace EventSourcing.OrderDomain.Tests.Search;

/// <summary>
/// Searches on the PostgreSQL read model raced by writers (new orders, status changes) and by rebuild swaps that
/// re-point the view at a table of another size: every answer must be one snapshot, so its status facets add up to
/// its total and its page of hits is exactly what the total allows.
/// </summary>
public sealed class PostgresSearchConsistencyTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const int Searches = 1500;

    private static readonly OrderSearchQuery[] Queries =
    [
        OrderSearchQuery.All,
        OrderSearchQuery.Parse(null, "paid", null, null, null, null, null, null, null, "7"),
        OrderSearchQuery.Parse(null, "placed,shipped", null, null, null, null, null, "-total", "3", "5"),
        OrderSearchQuery.Parse("tea", null, null, null, null, null, null, "customerName", null, "100"),
        OrderSearchQuery.Parse(null, "cancelled", null, null, null, "100", null, null, "40", "100"),
    ];

    private static readonly string[] Statuses = [.. OrderSearchQuery.KnownStatuses];

    [Fact]
    public async Task facets_total_and_hits_agree_in_every_answer_while_writers_and_swaps_race_the_searches()
    {
        var schema = postgres.NewSchemaName();
        var sink = new PostgresSink(postgres.DataSource, new PostgresSinkOptions(schema));
        var projection = new OrderSearchProjection();
        var live = ReadModelTarget.For(projection);
        await sink.PrepareAsync(live, CancellationToken.None);
        await WriteAsync(sink, live, Enumerable.Range(0, 120).Select(i => Order(i, Statuses[i % 4])));
        await sink.SwapAsync(live, CancellationToken.None);

        var search = new PostgresOrderSearch(new ReadModelDatabase(postgres.DataSource), new OrderSearchStore(schema));
        using var stop = new CancellationTokenSource();
        long inserts = 0, flips = 0, swaps = 0, sequence = 1_000;

        var insert = Task.Run(async () =>
        {
            for (var i = 1_000; !stop.IsCancellationRequested; i++)
            {
                await WriteAsync(sink, Volatile.Read(ref live), [Order(i, Statuses[i % 4])], Interlocked.Increment(ref sequence));
                Interlocked.Increment(ref inserts);
            }
        }, CancellationToken.None);
        var flip = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                await WriteAsync(sink, Volatile.Read(ref live), [Order(i % 120, Statuses[(i / 120 + i) % 4])], Interlocked.Increment(ref sequence));
                Interlocked.Increment(ref flips);
            }
        }, CancellationToken.None);
        var swap = Task.Run(async () =>
        {
            for (var version = 2; !stop.IsCancellationRequested; version++)
            {
                var next = ReadModelTarget.For(projection, version);
                await sink.PrepareAsync(next, CancellationToken.None);
                await WriteAsync(sink, next, Enumerable.Range(0, 60 + (version * 37 % 120)).Select(i => Order(i, Statuses[(i + version) % 4])));
                var old = Volatile.Read(ref live);
                await sink.SwapAsync(next, CancellationToken.None);
                Volatile.Write(ref live, next);
                Interlocked.Increment(ref swaps);
                if (old.Version > 1)
                    await sink.RetireAsync(ReadModelTarget.For(projection, old.Version - 1), CancellationToken.None);
            }
        }, CancellationToken.None);

        var violations = new ConcurrentQueue<string>();
        var answered = 0;
        try
        {
            await Task.WhenAll(Enumerable.Range(0, 3).Select(worker => Task.Run(async () =>
            {
                for (var i = worker; i < Searches; i += 3)
                {
                    var query = Queries[i % Queries.Length];
                    var result = await search.SearchAsync(query, CancellationToken.None);
                    Interlocked.Increment(ref answered);
                    if (Check(query, result) is { } problem)
                        violations.Enqueue($"search {i}: {problem}");
                }
            }, CancellationToken.None)));
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(insert, flip, swap);
        }

        Assert.Equal(Searches, answered);
        Assert.True(Interlocked.Read(ref inserts) > 0 && Interlocked.Read(ref flips) > 0 && Interlocked.Read(ref swaps) > 0,
            $"the writers must have raced the searches: {inserts} inserts, {flips} status changes, {swaps} swaps");
        Assert.True(violations.IsEmpty, $"{violations.Count} of {Searches} answers disagree with themselves:\n" + string.Join("\n", violations.Take(10)));
    }

    /// <summary>What one consistent answer satisfies; null when it does, else what is wrong.</summary>
    private static string? Check(OrderSearchQuery query, OrderSearchResult result)
    {
        var counted = query.Statuses.Count == 0 ? result.StatusFacets.Values.Sum() : query.Statuses.Sum(s => result.StatusFacets.GetValueOrDefault(s));
        if (counted != result.Total)
            return $"the facets count {counted} matches but total is {result.Total} ({string.Join(", ", result.StatusFacets)})";
        var expectedHits = Math.Clamp(result.Total - query.Skip, 0, query.PageSize);
        if (result.Hits.Count != expectedHits)
            return $"{result.Hits.Count} hits on page {query.Page} of size {query.PageSize}, but total {result.Total} allows {expectedHits}";
        if (query.Statuses.Count > 0 && result.Hits.FirstOrDefault(h => !query.Statuses.Contains(h.Status)) is { } stray)
            return $"hit {stray.OrderId} is {stray.Status}, outside the status filter";
        return null;
    }

    private static OrderSearchDocument Order(int number, string status) =>
        new(new Guid(number, 0, 0, new byte[8]), $"cust-{number % 17}", $"Customer {number % 17}", status,
            [new OrderSearchLine("TEA-001", "Assam Tea", 1 + (number % 3), 250m)], 250m * (1 + (number % 3)), "INR",
            new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(number), null, null, null, "Pune", "IN");

    private static async Task WriteAsync(PostgresSink sink, ReadModelTarget target, IEnumerable<OrderSearchDocument> orders, long version = 1)
    {
        var changes = orders.Select(o => new DocumentChange(o.OrderId.ToString("D"), o, version, new[] { version })).ToList();
        try
        {
            await sink.WriteAsync(target, changes, SinkWriteContext.Direct, CancellationToken.None);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // the writer raced a swap and the version it wrote to was just retired: the next write goes to the live one
        }
    }
}
