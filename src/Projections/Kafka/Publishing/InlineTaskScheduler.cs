namespace EventSourcing.Projections.Kafka.Publishing;

/// <summary>
/// Runs every task queued to it at once, on the queuing thread. Confluent's serializers finish each
/// value in a <c>ContinueWith</c> without <c>ExecuteSynchronously</c>, which queues the continuation to
/// <see cref="TaskScheduler.Current"/>: on the default scheduler that is a thread-pool hop per message,
/// about 3 µs of wall time and twice that in CPU (a woken thread, spinning). Calls made from a task
/// running on this scheduler complete synchronously when the serializer needs no I/O (its schema id is
/// cached), at about a quarter of the CPU. A call that does need the registry still completes normally:
/// Confluent's awaits resume on the thread pool (<c>ConfigureAwait(false)</c>).
/// </summary>
internal sealed class InlineTaskScheduler : TaskScheduler
{
    public static InlineTaskScheduler Instance { get; } = new();

    private InlineTaskScheduler()
    {
    }

    /// <summary>Runs <paramref name="work"/> with this scheduler as <see cref="TaskScheduler.Current"/>.</summary>
    public static void Run(Action work)
    {
        var task = new Task(work, TaskCreationOptions.DenyChildAttach);
        task.RunSynchronously(Instance);
        if (task.Exception is { } failed)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failed.InnerException ?? failed);
    }

    protected override void QueueTask(Task task) => TryExecuteTask(task);

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks() => [];

    public override int MaximumConcurrencyLevel => 1;
}
