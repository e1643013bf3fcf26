using System.Text.Json.Nodes;

namespace EventSourcing.Reliability.Verification;

/// <summary>A read-model document as the independent fold says it must be: its JSON, its version (the sequence of the last event folded into it), and the events folded.</summary>
public sealed class ExpectedDocument(string key)
{
    public string Key { get; } = key;

    public JsonObject Data { get; set; } = [];

    public long Version { get; private set; }

    public List<(long Sequence, string Type)> Events { get; } = [];

    public void Folded(StoredEvent e)
    {
        Version = Math.Max(Version, e.Sequence);
        Events.Add((e.Sequence, e.Type));
    }
}
