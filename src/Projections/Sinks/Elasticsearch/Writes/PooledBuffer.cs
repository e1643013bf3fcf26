using System.Buffers;

namespace EventSourcing.Projections.Sinks.Elasticsearch;

/// <summary>
/// A growable byte buffer rented from <see cref="ArrayPool{T}.Shared"/> for one bulk body: no fresh array per
/// request, no copy into a final array. Return it with <see cref="Dispose"/> once the request has completed.
/// </summary>
internal sealed class PooledBuffer : IBufferWriter<byte>, IDisposable
{
    private byte[] _array;
    private int _written;

    public PooledBuffer(int initialSize) => _array = ArrayPool<byte>.Shared.Rent(Math.Max(initialSize, 256));

    public ReadOnlyMemory<byte> WrittenMemory => _array.AsMemory(0, _written);

    public int WrittenCount => _written;

    public void Reset() => _written = 0;

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_written + count > _array.Length)
            throw new InvalidOperationException($"cannot advance {count} bytes past the end of a {_array.Length}-byte buffer");
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsSpan(_written);
    }

    public void Dispose()
    {
        var array = _array;
        _array = [];
        _written = 0;
        if (array.Length > 0)
            ArrayPool<byte>.Shared.Return(array);
    }

    private void Ensure(int sizeHint)
    {
        ObjectDisposedException.ThrowIf(_array.Length == 0, this);
        var needed = Math.Max(sizeHint, 1);
        if (_array.Length - _written >= needed)
            return;
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_array.Length * 2, _written + needed));
        _array.AsSpan(0, _written).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_array);
        _array = bigger;
    }
}
