using System.Collections.Concurrent;

namespace EventSourcing.Reliability.Load;

/// <summary>Every search answer seen during a scenario: how many, and each one that was incomplete, inconsistent or an error.</summary>
public sealed class SearchLog
{
    private const int Kept = 30;
    private readonly ConcurrentQueue<string> _violations = new();
    private int _searches;
    private int _violationCount;

    public int Searches => _searches;

    public int ViolationCount => _violationCount;

    /// <summary>The first violations, each with the query and what was wrong.</summary>
    public IReadOnlyCollection<string> Violations => _violations;

    public void Answered() => Interlocked.Increment(ref _searches);

    public void Violated(string what)
    {
        if (Interlocked.Increment(ref _violationCount) <= Kept)
            _violations.Enqueue(what);
    }

    public override string ToString() => $"{_searches} searches, {_violationCount} violations";
}
