using System.Runtime.InteropServices;
using System.Text;
using Confluent.Kafka;

namespace EventSourcing.Projections.Tests.Kafka.Faults;

/// <summary>
/// A librdkafka mock cluster owned by one test, with librdkafka's fault injection (<c>rd_kafka_mock_*</c>
/// in rdkafka_mock.h), which Confluent.Kafka does not wrap. The cluster lives in a client handle created
/// through librdkafka's C API (the same native library Confluent.Kafka loads); every Confluent client of
/// the test connects to <see cref="BootstrapServers"/> over the real Kafka protocol.
/// </summary>
internal sealed class FaultyKafkaCluster : IDisposable
{
    private const short ProduceApiKey = 0;
    private const int ProducerType = 0; // RD_KAFKA_PRODUCER

    private readonly IntPtr _client;
    private readonly IntPtr _cluster;

    public FaultyKafkaCluster(int brokers = 3)
    {
        var config = rd_kafka_conf_new();
        var error = new byte[512];
        if (rd_kafka_conf_set(config, "test.mock.num.brokers", brokers.ToString(System.Globalization.CultureInfo.InvariantCulture), error, (nuint)error.Length) != 0)
        {
            rd_kafka_conf_destroy(config);
            throw new InvalidOperationException("librdkafka refused test.mock.num.brokers: " + Text(error));
        }

        _client = rd_kafka_new(ProducerType, config, error, (nuint)error.Length); // takes ownership of config
        if (_client == IntPtr.Zero)
            throw new InvalidOperationException("librdkafka could not create the mock cluster's client: " + Text(error));
        _cluster = rd_kafka_handle_mock_cluster(_client);
        if (_cluster == IntPtr.Zero)
            throw new InvalidOperationException("librdkafka created no mock cluster for test.mock.num.brokers.");
        BootstrapServers = Marshal.PtrToStringUTF8(rd_kafka_mock_cluster_bootstraps(_cluster))
            ?? throw new InvalidOperationException("the mock cluster has no bootstrap address.");
    }

    public string BootstrapServers { get; }

    /// <summary>The next <paramref name="requests"/> Produce requests to any broker of the cluster fail with <paramref name="error"/>.</summary>
    public void FailProduceRequests(int requests, ErrorCode error)
    {
        var errors = Enumerable.Repeat((int)error, requests).ToArray();
        rd_kafka_mock_push_request_errors_array(_cluster, ProduceApiKey, (nuint)errors.Length, errors);
    }

    /// <summary>Produce requests succeed again (the errors not used yet are dropped).</summary>
    public void HealProduceRequests() => rd_kafka_mock_clear_request_errors(_cluster, ProduceApiKey);

    public void Dispose() => rd_kafka_destroy(_client);

    private static string Text(byte[] error) => Encoding.UTF8.GetString(error).TrimEnd('\0');

    // librdkafka's C API, bound at run time to the same native library file Confluent.Kafka loads
    // (its package ships a generic build and self-contained centos8/alpine builds; the first that loads wins).
    private static readonly IntPtr Native = LoadLibrdkafka();

    private static readonly ConfNew rd_kafka_conf_new = Bind<ConfNew>("rd_kafka_conf_new");
    private static readonly ConfDestroy rd_kafka_conf_destroy = Bind<ConfDestroy>("rd_kafka_conf_destroy");
    private static readonly ConfSet rd_kafka_conf_set = Bind<ConfSet>("rd_kafka_conf_set");
    private static readonly KafkaNew rd_kafka_new = Bind<KafkaNew>("rd_kafka_new");
    private static readonly KafkaDestroy rd_kafka_destroy = Bind<KafkaDestroy>("rd_kafka_destroy");
    private static readonly HandleMockCluster rd_kafka_handle_mock_cluster = Bind<HandleMockCluster>("rd_kafka_handle_mock_cluster");
    private static readonly MockBootstraps rd_kafka_mock_cluster_bootstraps = Bind<MockBootstraps>("rd_kafka_mock_cluster_bootstraps");
    private static readonly PushRequestErrors rd_kafka_mock_push_request_errors_array = Bind<PushRequestErrors>("rd_kafka_mock_push_request_errors_array");
    private static readonly ClearRequestErrors rd_kafka_mock_clear_request_errors = Bind<ClearRequestErrors>("rd_kafka_mock_clear_request_errors");

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr ConfNew();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void ConfDestroy(IntPtr conf);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int ConfSet(IntPtr conf, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, [Out] byte[] errstr, nuint errstrSize);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr KafkaNew(int type, IntPtr conf, [Out] byte[] errstr, nuint errstrSize);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void KafkaDestroy(IntPtr rk);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr HandleMockCluster(IntPtr rk);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr MockBootstraps(IntPtr mcluster);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void PushRequestErrors(IntPtr mcluster, short apiKey, nuint count, [In] int[] errors);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void ClearRequestErrors(IntPtr mcluster, short apiKey);

    private static T Bind<T>(string name) where T : Delegate => Marshal.GetDelegateForFunctionPointer<T>(NativeLibrary.GetExport(Native, name));

    private static IntPtr LoadLibrdkafka()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");
        var failures = new List<string>();
        foreach (var file in new[] { "librdkafka.so", "centos8-librdkafka.so", "alpine-librdkafka.so" })
        {
            var path = Path.Combine(folder, file);
            if (NativeLibrary.TryLoad(path, out var handle))
                return handle;
            failures.Add(path);
        }

        throw new DllNotFoundException("librdkafka did not load from any of: " + string.Join(", ", failures));
    }
}
