namespace EventSourcing.Projections.Hosting;

/// <summary>Typed options of the projection daemon, validated at startup by <see cref="Validate"/>.</summary>
public sealed record ProjectionsOptions
{
    /// <summary>PostgreSQL connection of the event store (and of the embedded sink and the daemon's tables).</summary>
    public string ConnectionString { get; init; } = "";

    /// <summary>Schema of the daemon's own tables (state, dead letters) and of the PostgreSQL sink's read models.</summary>
    public string Schema { get; init; } = "projections";

    /// <summary>
    /// How shards are placed on several hosts: <see cref="ProjectionDistribution.HotCold"/> (the default, one
    /// active host) or <see cref="ProjectionDistribution.Wolverine"/> (shards spread over all hosts). Register with
    /// <c>AddMarten(...).AddProjections(...)</c> so the matching daemon is chosen; checked again when the host starts.
    /// </summary>
    public ProjectionDistribution Distribution { get; init; } = ProjectionDistribution.HotCold;

    /// <summary>Events per batch handed to the projections (Marten subscription batch size).</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>First retry delay for a failing sink call; doubles per attempt, with jitter.</summary>
    public TimeSpan RetryInitialDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest delay between retries (also the probe interval while the circuit is open).</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Consecutive failures after which the circuit opens and the projection reports itself paused.</summary>
    public int FailuresBeforeCircuitOpens { get; init; } = 3;

    /// <summary>How often a paused projection checks whether it was resumed.</summary>
    public TimeSpan PausePollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a replaced read-model version is kept for rollback before it is dropped.</summary>
    public TimeSpan RetireAfter { get; init; } = TimeSpan.FromHours(24);

    /// <summary>A projection whose lag has not shrunk for this long is reported stalled by the health check.</summary>
    public TimeSpan StalledAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How often each host reads the whole cluster's progress to find read models that are stalled (and, under Wolverine
    /// distribution, releases its own dead agents): the health check and the <c>projections.stalled</c> gauge lag by at most this.
    /// </summary>
    public TimeSpan ProgressCheckInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Liveness bound for several hosts (off when null): each host renews a lease row every fifth of this time; a host that
    /// renewed none for this long (dead, or frozen by SIGSTOP, a paused VM or a throttled container) is taken for dead by a
    /// peer, which terminates its PostgreSQL sessions, freeing the locks it holds, so its read models run elsewhere within
    /// about the lease plus one leadership poll. Needs an Application Name unique to the process in
    /// <see cref="ConnectionString"/> (and the same in Marten's connection), and hosts connecting as the same role or one
    /// granted <c>pg_signal_backend</c>. Keep it well above the longest pause a live host may have. See docs/scaling.md.
    /// </summary>
    public TimeSpan? HostLease { get; init; }

    /// <summary>Never prints the connection string (it may hold a password): only its host and database.</summary>
    public override string ToString()
    {
        var connection = new Npgsql.NpgsqlConnectionStringBuilder();
        try { connection.ConnectionString = ConnectionString; }
        catch (ArgumentException) { connection.Clear(); }
        return $"ProjectionsOptions {{ Database = {connection.Host}/{connection.Database}, Schema = {Schema}, Distribution = {Distribution}, BatchSize = {BatchSize}, " +
               $"FailuresBeforeCircuitOpens = {FailuresBeforeCircuitOpens}, RetireAfter = {RetireAfter} }}";
    }

    public ProjectionsOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
            throw new InvalidOperationException("ProjectionsOptions.ConnectionString is required (the PostgreSQL event store connection)");
        _ = new Sinks.Postgres.PostgresSinkOptions(Schema);
        if (!Enum.IsDefined(Distribution))
            throw new InvalidOperationException(
                $"ProjectionsOptions.Distribution must be one of {string.Join(", ", Enum.GetNames<ProjectionDistribution>())}, got {(int)Distribution}");
        Positive(BatchSize, nameof(BatchSize));
        Positive(FailuresBeforeCircuitOpens, nameof(FailuresBeforeCircuitOpens));
        Positive(RetryInitialDelay, nameof(RetryInitialDelay));
        Positive(RetryMaxDelay, nameof(RetryMaxDelay));
        Positive(PausePollInterval, nameof(PausePollInterval));
        Positive(ProgressCheckInterval, nameof(ProgressCheckInterval));
        Positive(StalledAfter, nameof(StalledAfter));
        if (HostLease is { } lease)
            ValidateLease(lease);
        if (RetireAfter < TimeSpan.Zero)
            throw new InvalidOperationException($"ProjectionsOptions.RetireAfter must not be negative, got {RetireAfter}");
        return this;
    }

    private void ValidateLease(TimeSpan lease)
    {
        if (lease < TimeSpan.FromSeconds(1))
            throw new InvalidOperationException($"ProjectionsOptions.HostLease must be at least 00:00:01, got {lease}");
        if (string.IsNullOrWhiteSpace(Hosting.HostLease.ApplicationNameOf(ConnectionString)))
            throw new InvalidOperationException(
                "ProjectionsOptions.HostLease needs an Application Name unique to this process in ProjectionsOptions.ConnectionString " +
                "(and the same in Marten's connection string), e.g. 'Application Name=orders/<machine>/<process id>': a peer frees a " +
                "frozen host's locks by terminating the PostgreSQL sessions with its name");
    }

    private static void Positive(int value, string name)
    {
        if (value <= 0)
            throw new InvalidOperationException($"ProjectionsOptions.{name} must be positive, got {value}");
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
            throw new InvalidOperationException($"ProjectionsOptions.{name} must be positive, got {value}");
    }
}
