namespace EventSourcing.Projections.Daemon;

/// <summary>
/// The per-batch working arrays of <see cref="BatchProcessor"/> (document numbers, states, versions, counts), kept
/// between batches instead of allocated for each. One spare set is shared by every processor: a batch takes it (or a
/// new set when another batch holds it) and gives it back cleared. Nothing in it outlives the batch that took it:
/// what the sink receives (the changes, the sequences) is allocated per batch.
/// </summary>
internal sealed class BatchScratch
{
    /// <summary>Sets grown past this many events are not kept, so one huge batch does not pin its arrays.</summary>
    private const int MaxKeptEvents = 16_384;

    private static BatchScratch? _spare;

    /// <summary>Document number of each key, numbered in the order of the documents' first events.</summary>
    public Dictionary<string, int> Numbers { get; } = new(StringComparer.Ordinal);

    public string[] Keys { get; private set; } = [];

    /// <summary>Per event: the number of its document, or -1 when its key could not be computed.</summary>
    public int[] DocumentOf { get; private set; } = [];

    public int[] EventsPer { get; private set; } = [];

    public int[] Offsets { get; private set; } = [];

    public int[] Filled { get; private set; } = [];

    public long[] Versions { get; private set; } = [];

    /// <summary>Per document: its version as stored before the batch (what skipping compares with).</summary>
    public long[] StoredVersions { get; private set; } = [];

    public object?[] Documents { get; private set; } = [];

    public static BatchScratch Rent(int events)
    {
        var scratch = Interlocked.Exchange(ref _spare, null) ?? new BatchScratch();
        scratch.Ensure(events);
        return scratch;
    }

    public void Return()
    {
        if (Keys.Length > MaxKeptEvents)
            return;
        var documents = Numbers.Count;
        Numbers.Clear();
        Array.Clear(Keys, 0, documents);
        Array.Clear(Documents, 0, documents);
        Array.Clear(EventsPer, 0, documents);
        Array.Clear(Filled, 0, documents);
        Volatile.Write(ref _spare, this);
    }

    private void Ensure(int events)
    {
        if (Keys.Length >= events)
            return;
        Keys = new string[events];
        DocumentOf = new int[events];
        EventsPer = new int[events];
        Offsets = new int[events];
        Filled = new int[events];
        Versions = new long[events];
        StoredVersions = new long[events];
        Documents = new object?[events];
    }
}
