using EventSourcing.Projections.Daemon;
using EventSourcing.Projections.Hosting;
using EventSourcing.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EventSourcing.Projections.Tests.Distribution;

/// <summary>
/// The host lease against the real server: a host that stops renewing (a frozen process keeps its sessions and its advisory
/// locks open) is taken for dead by a live peer, which ends its sessions so its lock can be taken; a live host is never taken
/// for dead; a host that was taken for dead finds out and registers again; two live hosts cannot share a name.
/// The whole-process version (real <c>serve</c> processes, SIGSTOP) is tests/Cluster.Tests.
/// </summary>
public sealed class HostLeaseTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task a_host_that_stops_renewing_is_taken_for_dead_its_sessions_end_and_its_advisory_lock_can_be_taken()
    {
        var schema = await SchemaAsync();
        var frozenName = $"frozen-{Guid.NewGuid():N}"[..20];
        var frozen = Host(schema, frozenName, out var frozenLog);
        var live = Host(schema, $"live-{Guid.NewGuid():N}"[..20], out var liveLog);
        await frozen.TickAsync(Lease, CancellationToken.None);
        await live.TickAsync(Lease, CancellationToken.None);

        // the frozen host's session holds an advisory lock, as Marten's HotCold lock and Wolverine's leadership lock do
        var lockId = Random.Shared.Next();
        await using var frozenSession = new NpgsqlConnection(postgres.ConnectionString + $";Application Name={frozenName};Pooling=false");
        await frozenSession.OpenAsync();
        await Execute(frozenSession, $"select pg_advisory_lock({lockId})");
        Assert.False(await TryLockAsync(lockId));

        // the live host renews on; the frozen one does not. Before the lease runs out nothing happens to it
        await live.TickAsync(Lease, CancellationToken.None);
        Assert.True(await RowExistsAsync(schema, frozenName));
        await Eventually.Until(async () =>
        {
            await live.TickAsync(Lease, CancellationToken.None);
            return !await RowExistsAsync(schema, frozenName);
        }, TimeSpan.FromSeconds(30), "the frozen host's lease to be broken");

        await Assert.ThrowsAnyAsync<Exception>(() => Execute(frozenSession, "select 1"));
        Assert.True(await TryLockAsync(lockId));
        Assert.Contains(liveLog.Lines, l => l.Contains(frozenName, StringComparison.Ordinal) && l.Contains("taken for dead", StringComparison.Ordinal)
                                            && l.Contains("of its PostgreSQL session(s) terminated", StringComparison.Ordinal));

        // resumed, the frozen host finds its lease gone, says so, and registers again
        await frozen.TickAsync(Lease, CancellationToken.None);
        Assert.Contains(frozenLog.Lines, l => l.Contains("was taken for dead by a peer", StringComparison.Ordinal));
        Assert.True(await RowExistsAsync(schema, frozenName));
    }

    [Fact]
    public async Task hosts_that_renew_are_never_taken_for_dead()
    {
        var schema = await SchemaAsync();
        var hosts = Enumerable.Range(0, 3).Select(i => Host(schema, $"host-{i}-{Guid.NewGuid():N}"[..20], out _)).ToList();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var ticks = 0;
        // three lease periods of renewals at the renewal period: every row stays
        await Eventually.Until(async () =>
        {
            foreach (var host in hosts)
                await host.TickAsync(Lease, CancellationToken.None);
            ticks++;
            foreach (var host in hosts)
                Assert.True(await RowExistsAsync(schema, host.ApplicationName), $"{host.ApplicationName} lost its lease after {clock.Elapsed}");
            return clock.Elapsed > Lease * 3;
        }, TimeSpan.FromSeconds(30), "three lease periods");
        Assert.True(ticks > 3);
    }

    [Fact]
    public async Task a_second_live_host_with_the_same_application_name_gets_no_lease_and_is_told_why()
    {
        var schema = await SchemaAsync();
        var name = $"twin-{Guid.NewGuid():N}"[..20];
        var first = Host(schema, name, out _);
        var second = Host(schema, name, out var secondLog);
        await first.TickAsync(Lease, CancellationToken.None);
        await second.TickAsync(Lease, CancellationToken.None);
        await first.TickAsync(Lease, CancellationToken.None);

        Assert.Contains(secondLog.Lines, l => l.Contains("another live projection host uses the Application Name", StringComparison.Ordinal));
        Assert.DoesNotContain(secondLog.Lines, l => l.Contains("was taken for dead", StringComparison.Ordinal));
    }

    [Fact]
    public async Task projections_hosts_lists_each_lease_as_live_or_expired()
    {
        var schema = await SchemaAsync();
        var live = Host(schema, $"live-{Guid.NewGuid():N}"[..20], out _);
        await live.TickAsync(Lease, CancellationToken.None);
        var gone = $"gone-{Guid.NewGuid():N}"[..20];
        await using (var insert = postgres.DataSource.CreateCommand(
            $"insert into {schema}.projection_hosts values ($1, gen_random_uuid(), 'elsewhere', 4242, now() - interval '2 hours', now() - interval '1 hour')"))
        {
            insert.Parameters.AddWithValue(gone);
            await insert.ExecuteNonQueryAsync();
        }

        var json = await CliAsync(schema, "hosts", "--json");
        var text = await CliAsync(schema, "hosts");

        Assert.Equal((EventSourcing.Projections.Cli.ExitCodes.Ok, ""), (json.Code, json.Err));
        var rows = System.Text.Json.JsonDocument.Parse(json.Out).RootElement.EnumerateArray()
            .ToDictionary(r => r.GetProperty("applicationName").GetString()!, r => r, StringComparer.Ordinal);
        Assert.Equal([gone, live.ApplicationName], rows.Keys.Order(StringComparer.Ordinal));
        Assert.False(rows[live.ApplicationName].GetProperty("expired").GetBoolean());
        Assert.True(rows[gone].GetProperty("expired").GetBoolean());
        Assert.True(rows[gone].GetProperty("silentSeconds").GetDouble() > 3500);
        Assert.Equal(4242, rows[gone].GetProperty("processId").GetInt32());
        Assert.True(text.Code == EventSourcing.Projections.Cli.ExitCodes.Ok && text.Err.Length == 0, text.Out + text.Err);
        Assert.True(text.Out.Contains(gone, StringComparison.Ordinal), text.Out);
        Assert.Contains("expired", text.Out.Split('\n').Single(l => l.Contains(gone, StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("live", text.Out.Split('\n').Single(l => l.Contains(live.ApplicationName, StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    private async Task<(int Code, string Out, string Err)> CliAsync(string schema, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await EventSourcing.Projections.Cli.ProjectionsCli.RunAsync(args,
            b => Support.DaemonHost.Configure(b, postgres.ConnectionString, schema, [new Support.OrderSummaryProjection("hosts_cli")],
                options: o => o with { ConnectionString = postgres.ConnectionString + ";Application Name=hosts-cli", HostLease = Lease }),
            stdout, stderr, interactive: false, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void a_lease_without_an_application_name_is_refused_naming_the_setting()
    {
        var options = new ProjectionsOptions { ConnectionString = postgres.ConnectionString, HostLease = TimeSpan.FromSeconds(10) };
        var error = Assert.Throws<InvalidOperationException>(options.Validate);
        Assert.Contains("HostLease needs an Application Name", error.Message, StringComparison.Ordinal);
        var tooShort = Assert.Throws<InvalidOperationException>(() => (options with
        {
            ConnectionString = postgres.ConnectionString + ";Application Name=x",
            HostLease = TimeSpan.FromMilliseconds(10),
        }).Validate());
        Assert.Contains("HostLease must be at least 00:00:01", tooShort.Message, StringComparison.Ordinal);
    }

    private async Task<string> SchemaAsync()
    {
        var schema = postgres.NewSchemaName();
        await new ProjectionStore(postgres.DataSource, schema).EnsureSchemaAsync(CancellationToken.None);
        return schema;
    }

    private HostLease Host(string schema, string applicationName, out RecordingLogger log)
    {
        var options = new ProjectionsOptions
        {
            ConnectionString = postgres.ConnectionString + $";Application Name={applicationName}",
            Schema = schema,
            HostLease = Lease,
        }.Validate();
        var services = new ServiceCollection()
            .AddSingleton(new ProjectionsDataSource(NpgsqlDataSource.Create(options.ConnectionString)))
            .AddSingleton(sp => new ProjectionStore(sp.GetRequiredService<ProjectionsDataSource>().DataSource, schema))
            .BuildServiceProvider();
        log = new RecordingLogger();
        return new HostLease(services, options, log);
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<bool> TryLockAsync(int lockId)
    {
        await using var connection = await postgres.DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand($"select pg_try_advisory_lock({lockId})", connection);
        var taken = (bool)(await command.ExecuteScalarAsync())!;
        if (taken)
        {
            await using var unlock = new NpgsqlCommand($"select pg_advisory_unlock({lockId})", connection);
            await unlock.ExecuteScalarAsync();
        }

        return taken;
    }

    private async Task<bool> RowExistsAsync(string schema, string applicationName)
    {
        await using var command = postgres.DataSource.CreateCommand($"select count(*) from {schema}.projection_hosts where application_name = $1");
        command.Parameters.AddWithValue(applicationName);
        return (long)(await command.ExecuteScalarAsync())! == 1;
    }

    internal sealed class RecordingLogger : ILogger<HostLease>
    {
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                    return _lines.ToList();
            }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines)
                _lines.Add($"{logLevel}: {formatter(state, exception)}");
        }
    }
}
