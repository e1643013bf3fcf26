using EventSourcing.Projections.Sinks;

namespace EventSourcing.Projections.Verification;

/// <summary>The running tally of a verify: compares one document at a time and keeps the first differences.</summary>
internal sealed class Comparison(Type documentType, int maxDifferences)
{
    private readonly List<DocumentDifference> _differences = [];

    public long Read { get; set; }

    public long Compared { get; private set; }

    public long Missing { get; private set; }

    public long Extra { get; private set; }

    public long Different { get; private set; }

    public long ChangedSinceCheckpoint { get; set; }

    public IReadOnlyList<DocumentDifference> Differences => _differences;

    /// <summary>
    /// One key: what the fold made of it (null: no event touched it) against what the sink holds (null: nothing stored).
    /// A deleted document is absent on its side, so a deletion on both sides is no document to compare.
    /// </summary>
    public void Compare(string key, FoldedDocument? fold, StoredDocument? stored)
    {
        var expected = fold?.Document;
        var actual = stored?.Document;
        if (expected is null && actual is null)
            return;
        Compared++;
        if (actual is null)
        {
            Missing++;
            Add(new DocumentDifference(key, "missing", null, DocumentComparer.Show(DocumentComparer.ToJson(expected, documentType)), null, fold?.Version, stored?.Version));
        }
        else if (expected is null)
        {
            Extra++;
            Add(new DocumentDifference(key, "extra", null, null, DocumentComparer.Show(DocumentComparer.ToJson(actual, documentType)), fold?.Version, stored!.Value.Version));
        }
        else if (DocumentComparer.FirstDifference(DocumentComparer.ToJson(expected, documentType), DocumentComparer.ToJson(actual, documentType)) is { } field)
        {
            Different++;
            Add(new DocumentDifference(key, "different", field.Field, field.Expected, field.Actual, fold!.Value.Version, stored!.Value.Version));
        }
        else if (fold!.Value.Version != stored!.Value.Version)
        {
            Different++;
            Add(new DocumentDifference(key, "different", "version", null, null, fold.Value.Version, stored.Value.Version));
        }
    }

    private void Add(DocumentDifference difference)
    {
        if (_differences.Count < maxDifferences)
            _differences.Add(difference);
    }
}
