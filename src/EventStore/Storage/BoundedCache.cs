using System.Collections.Concurrent;

namespace EventSourcing.EventStore.Storage;

/// <summary>
/// A small thread-safe cache with a size bound: when full, about a tenth of the entries are dropped.
/// Capacity 0 turns it off. Good enough for per-stream hot data; not an LRU.
/// </summary>
internal sealed class BoundedCache<TKey, TValue>(int capacity) where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue> _entries = new();

    public bool Enabled => capacity > 0;

    public bool TryGet(TKey key, out TValue value)
    {
        if (!Enabled)
        {
            value = default!;
            return false;
        }

        return _entries.TryGetValue(key, out value!);
    }

    public void Set(TKey key, TValue value)
    {
        if (!Enabled)
            return;
        if (_entries.Count >= capacity && !_entries.ContainsKey(key))
        {
            foreach (var victim in _entries.Keys.Take(Math.Max(1, capacity / 10)).ToArray())
                _entries.TryRemove(victim, out _);
        }

        _entries[key] = value;
    }

    public void AddOrUpdate(TKey key, TValue value, Func<TValue, TValue, TValue> merge)
    {
        if (!Enabled)
            return;
        if (_entries.TryGetValue(key, out var existing))
            _entries[key] = merge(existing, value);
        else
            Set(key, value);
    }

    public void Remove(TKey key) => _entries.TryRemove(key, out _);
}
