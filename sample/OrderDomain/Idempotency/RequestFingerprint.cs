using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace OrderDomain.Idempotency;

/// <summary>
/// What makes two requests "the same request" for a key: the method, the path and query, If-Match, and the
/// body byte for byte, hashed with SHA-256. The body is buffered so the endpoint still reads it.
/// </summary>
public static class RequestFingerprint
{
    public static async Task<string> ComputeAsync(HttpRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(
            $"{request.Method}\n{request.Path.Value}{request.QueryString.Value}\n{request.Headers.IfMatch}\n"));
        request.EnableBuffering();
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(buffer.AsMemory(), ct)) > 0)
                hash.AppendData(buffer, 0, read);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        request.Body.Position = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
