using JasperFx.Events;
using JasperFx.Events.Daemon;
using Wolverine.Configuration;
using Wolverine.ErrorHandling;
using Wolverine.Logging;
using Wolverine.Persistence;
using Wolverine.Runtime;
using Wolverine.Runtime.Agents;
using Wolverine.Runtime.Metrics;
using Wolverine.Runtime.Routing;
using Wolverine.Transports;

namespace EventSourcing.Projections.Tests.Distribution;

/// <summary>
/// Wolverine's own observer with agent starts and stops also written to an <see cref="AgentLog"/>. Installed
/// on the runtime after the host is built and before it starts (the node agent controller reads it at start).
/// </summary>
public sealed class RecordingObserver(IWolverineObserver inner, string host, AgentLog log) : IWolverineObserver
{
    public static void Install(IWolverineRuntime runtime, string host, AgentLog log)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        runtime.Observer = new RecordingObserver(runtime.Observer, host, log);
    }

    public Task AgentStarted(Uri agentUri)
    {
        log.Started(host, agentUri);
        return inner.AgentStarted(agentUri);
    }

    public Task AgentStopped(Uri agentUri)
    {
        log.Stopped(host, agentUri);
        return inner.AgentStopped(agentUri);
    }

    public Task AgentPaused(Uri agentUri, ShardFailure? failure)
    {
        log.Stopped(host, agentUri);
        return inner.AgentPaused(agentUri, failure);
    }

    public Task AgentReleased(Uri agentUri, ShardFailure? failure)
    {
        log.Stopped(host, agentUri);
        return inner.AgentReleased(agentUri, failure);
    }

    public Task NodeStopped()
    {
        log.NodeStopped(host);
        return inner.NodeStopped();
    }

    public Task AssumedLeadership() => inner.AssumedLeadership();

    public Task LostLeadership() => inner.LostLeadership();

    public Task NodeStarted() => inner.NodeStarted();

    public Task AgentStartFailed(Uri agentUri, ShardStartFailureReason reason, Exception exception) => inner.AgentStartFailed(agentUri, reason, exception);

    public Task AssignmentsChanged(AssignmentGrid grid, AgentCommands commands) => inner.AssignmentsChanged(grid, commands);

    public Task StaleNodes(IReadOnlyList<WolverineNode> staleNodes) => inner.StaleNodes(staleNodes);

    public Task RuntimeIsFullyStarted() => inner.RuntimeIsFullyStarted();

    public void EndpointAdded(Endpoint endpoint) => inner.EndpointAdded(endpoint);

    public void MessageRouted(Type messageType, IMessageRouter router) => inner.MessageRouted(messageType, router);

    public Task BackPressureTriggered(Endpoint endpoint, IListeningAgent agent) => inner.BackPressureTriggered(endpoint, agent);

    public Task BackPressureLifted(Endpoint endpoint) => inner.BackPressureLifted(endpoint);

    public Task ListenerLatched(Endpoint endpoint) => inner.ListenerLatched(endpoint);

    public Task CircuitBreakerTripped(Endpoint endpoint, CircuitBreakerOptions options) => inner.CircuitBreakerTripped(endpoint, options);

    public Task CircuitBreakerReset(Endpoint endpoint) => inner.CircuitBreakerReset(endpoint);

    public void PersistedCounts(Uri storeUri, PersistedCounts counts) => inner.PersistedCounts(storeUri, counts);

    public void MessageHandlingMetricsExported(MessageHandlingMetrics metrics) => inner.MessageHandlingMetricsExported(metrics);

    public void MessageCausedBy(string incomingMessageType, string outgoingMessageType, string handlerType, string? endpointUri) =>
        inner.MessageCausedBy(incomingMessageType, outgoingMessageType, handlerType, endpointUri);

    public void EventsAppended(IReadOnlyList<IEvent> events) => inner.EventsAppended(events);

    public void ConnectionBudget(ConnectionBudgetSnapshot snapshot) => inner.ConnectionBudget(snapshot);
}
