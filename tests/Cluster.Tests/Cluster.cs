using System.Globalization;
using EventSourcing.TestInfrastructure;
using OrderDomain.Hosting;
using Xunit.Abstractions;

namespace EventSourcing.Cluster.Tests;

/// <summary>
/// Three <c>serve</c> nodes on schemas of their own, a writer appending throughout, and the checks run after each fault. Its
/// disposal stops the writer, waits for every read model to reach the head and compares them with the fold, unless the scenario
/// failed (<see cref="SkipVerification"/>): its own failure is the one to report.
/// </summary>
internal sealed class Cluster(PostgresFixture postgres, ITestOutputHelper output, string distribution, int seed, TimeSpan staleNodeTimeout)
    : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private static int _nextPort = 19_400 + Environment.ProcessId % 500 * 10;

    private readonly string _eventSchema = postgres.NewSchemaName();
    private readonly string _readSchema = postgres.NewSchemaName();
    private readonly List<ServeNode> _nodes = [];
    private readonly List<ServeNode> _retired = [];
    private readonly Dictionary<int, ServeNode> _byNumber = [];
    private readonly Dictionary<string, List<double>> _failovers = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private OrderWriter? _writer;
    private Task _writing = Task.CompletedTask;
    private int _started;
    private readonly string _clusterId = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));
    private bool _skipVerification;

    public ClusterProbe Probe { get; private set; } = null!;

    public IEnumerable<string> Names => _nodes.Select(n => n.Name);

    public IReadOnlyList<ServeNode> Nodes => _nodes.ToList();

    public async Task StartAsync()
    {
        Probe = new ClusterProbe(postgres.DataSource, _eventSchema, _readSchema);
        var options = new OrderServiceOptions { ConnectionString = postgres.ConnectionString, EventSchema = _eventSchema, ReadModelSchema = _readSchema }.Validate();
        _writer = new OrderWriter(options, seed);
        await _writer.PlaceAsync(CancellationToken.None); // creates the event tables before the nodes start
        await Probe.TraceCheckpointWritersAsync();
        for (var i = 0; i < 3; i++)
            await AddNodeAsync();
        _writing = _writer.RunAsync(_stop.Token);
        foreach (var name in ClusterProbe.ReadModels)
            await Eventually.Until(() => Probe.CheckpointAsync(name), c => c > 0, Timeout, $"{name} running ({Tails()})");
        // replicas starting close together on a fresh database must all stay up (each creates or checks the same tables and views)
        Assert.True(_nodes.All(n => !n.HasExited), $"a node exited while the cluster started: {Tails()}");
    }

    /// <summary>Starts a node and waits until it holds its host lease (Wolverine: and registered as a node).</summary>
    private async Task AddNodeAsync()
    {
        // the name is the Application Name of its sessions, by which a host lease ends a silent host's sessions in the whole
        // database: unique to this cluster, so another cluster on the same server (a parallel run) is never taken for it
        var name = $"node-{++_started}.{_clusterId}";
        var port = Interlocked.Increment(ref _nextPort);
        var before = distribution == "Wolverine" ? await Probe.NodeNumbersAsync() : [];
        var node = ServeNode.Start(name, postgres.ConnectionString, _eventSchema, _readSchema, distribution, port,
            new Dictionary<string, string> { ["Orders__StaleNodeTimeout"] = staleNodeTimeout.ToString("c", CultureInfo.InvariantCulture) });
        _nodes.Add(node);
        // up: the node renews its host lease (every mode runs one); a node that exited meanwhile fails here with its output
        await Eventually.Until(async () => node.HasExited ? throw new InvalidOperationException($"{name} exited while starting: {node.Tail(60)}")
            : await Probe.LeaseHolderAsync(name), held => held, Timeout, $"{name} holding its host lease ({node.Tail()})");
        if (distribution != "Wolverine")
            return;
        // nodes start one at a time, so the node row that appears now is this process's
        var numbers = await Eventually.Until(Probe.NodeNumbersAsync, n => n.Except(before).Any(), Timeout, $"{name} registered as a Wolverine node ({node.Tail()})");
        var number = numbers.Except(before).Max();
        _byNumber[number] = node;
        output.WriteLine($"{name} is Wolverine node {number} (pid {node.Pid})");
    }

    public bool IsNodeNumbered(ServeNode node, int number) => _byNumber.TryGetValue(number, out var known) && ReferenceEquals(known, node);

    public ServeNode NodeNumbered(int number) =>
        _byNumber.TryGetValue(number, out var node) ? node : throw new InvalidOperationException($"no process is known as node {number}");

    public ServeNode Named(string name) => _nodes.Single(n => n.Name == name);

    /// <summary>Rolling restart of one node: SIGTERM, wait for its exit, start its replacement and wait until it is up.</summary>
    public async Task RestartAsync(ServeNode node)
    {
        await node.TerminateAsync();
        _nodes.Remove(node);
        await node.DisposeAsync();
        await AddNodeAsync();
    }

    /// <summary>A killed node is replaced by a new process (as an orchestrator would), so the next round has three again.</summary>
    public void Replace(ServeNode dead)
    {
        if (!dead.HasExited)
            throw new InvalidOperationException($"{dead.Name} is still running: only an exited node is replaced");
        _nodes.Remove(dead);
        _retired.Add(dead);
        _pendingReplacements++;
    }

    /// <summary>The scenario failed: disposal only stops the nodes, so the scenario's failure is the one reported.</summary>
    public void SkipVerification() => _skipVerification = true;

    private int _pendingReplacements;

    /// <summary>Starts the replacements, one at a time, each up (and, Wolverine, registered) before the next.</summary>
    public async Task WaitForNodesAsync()
    {
        for (; _pendingReplacements > 0; _pendingReplacements--)
            await AddNodeAsync();
    }

    public void Record(string mode, string fault, TimeSpan failover)
    {
        var key = $"{mode}, {fault}";
        if (!_failovers.TryGetValue(key, out var list))
            _failovers[key] = list = [];
        list.Add(failover.TotalSeconds);
    }

    /// <summary>Every read model reaches the head while the writer runs on, then once it stopped, and equals the fold.</summary>
    public async Task ConvergeAsync(string when)
    {
        foreach (var name in ClusterProbe.ReadModels)
        {
            var head = await Probe.HeadAsync();
            await Eventually.Until(() => Probe.CheckpointAsync(name), c => c >= head, Timeout, $"{name} at {head} {when} ({Tails()})");
        }

        output.WriteLine($"{when}: caught up, {await Probe.CheckpointsAsync()}");
    }

    /// <summary>Stops the writer, waits for every read model to reach the head, and compares them with the fold.</summary>
    private async Task VerifyAsync()
    {
        await _stop.CancelAsync();
        await _writing;
        await WaitForNodesAsync();
        var head = await Probe.HeadAsync();
        foreach (var name in ClusterProbe.ReadModels)
            await Eventually.Until(() => Probe.CheckpointAsync(name), c => c >= head, Timeout, $"{name} at the final head {head} ({Tails()})");

        var acknowledged = _writer!.Acknowledged;
        var fold = await Probe.FoldCustomersAsync();
        var readModel = await Probe.CustomerReadModelAsync();
        var searched = await Probe.SearchedOrdersAsync();
        output.WriteLine($"final: {acknowledged.Count} acknowledged orders, head {head}, {fold.Count} customers, {searched.Count} orders searchable");
        Assert.Equal(acknowledged.Count, fold.Values.Sum(f => f.Orders));
        Assert.Equal(fold, readModel);
        Assert.True(searched.SetEquals(acknowledged), $"order_search has {searched.Count} orders, {acknowledged.Count} were acknowledged");
        foreach (var node in _nodes)
            output.WriteLine($"{node.Name}: {node.Count("releasing it so the leader places it again")} dead agent(s) released, " +
                             $"{node.Count("cannot recover from by restarting")} agent failure(s) Wolverine will not restart, " +
                             $"{node.Count("handing it back to the projection coordinator")} stopped agent(s) handed back (HotCold, Solo), " +
                             $"{node.Count("ProgressionProgressOutOfOrderException")} line(s) naming ProgressionProgressOutOfOrderException");
        PrintFailovers();
    }

    private void PrintFailovers()
    {
        foreach (var (key, seconds) in _failovers)
        {
            var sorted = seconds.Order().ToList();
            output.WriteLine($"failover {key}: n={sorted.Count} min {sorted[0]:0.0} s, median {sorted[sorted.Count / 2]:0.0} s, max {sorted[^1]:0.0} s");
        }
    }

    /// <summary>The newest output of each node, more of it for a node that exited (it may have crashed).</summary>
    public string Tails() => string.Join(" | ", _nodes.Select(n => n.HasExited ? $"{n.Name} (exited): {n.Tail(60)}" : $"{n.Name}: {n.Tail(3)}"));

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_skipVerification)
                PrintFailovers();
            else
                await VerifyAsync();
        }
        finally
        {
            await _stop.CancelAsync();
            foreach (var node in _nodes.Concat(_retired))
                await node.DisposeAsync();
            if (_writer is not null)
                await _writer.DisposeAsync();
            _stop.Dispose();
        }
    }
}
