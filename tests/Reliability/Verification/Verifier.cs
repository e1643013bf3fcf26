using System.Text;
using System.Text.Json;
using EventSourcing.Reliability.Load;
using EventSourcing.TestInfrastructure;
using Npgsql;

namespace EventSourcing.Reliability.Verification;

/// <summary>
/// The checks after every scenario: every read model catches up to the high-water mark (with a deadline),
/// every document of both read models (every field and the version) equals the independent fold of
/// <c>mt_events</c>, no dead letters, every acknowledged write is in the log and in the read model, and
/// every search answer seen was complete and self-consistent. All failures are collected, then reported together.
/// </summary>
public static class Verifier
{
    private const int ShownDocuments = 12;

    public static async Task<VerificationReport> VerifyAsync(NpgsqlDataSource database, WriteLedger? ledger, SearchLog? searches, TimeSpan convergence)
    {
        var failures = new List<string>();
        var progress = await ReadModels.ProgressAsync(database);
        try
        {
            progress = await Eventually.Until(() => ReadModels.ProgressAsync(database), p => p.CaughtUp, convergence,
                "every read model's checkpoint to reach the high-water mark and the newest event");
        }
        catch (TimeoutException e)
        {
            failures.Add(e.Message);
        }

        var log = await EventLog.ReadAsync(database);
        var fold = IndependentFold.Of(log);
        var orders = await ReadModels.DocumentsAsync(database, ReadModels.OrderSearch);
        var customers = await ReadModels.DocumentsAsync(database, ReadModels.CustomerOrders);
        Compare(ReadModels.OrderSearch, fold.Orders, orders, failures);
        Compare(ReadModels.CustomerOrders, fold.Customers, customers, failures);

        var deadLetters = await ReadModels.DeadLettersAsync(database);
        if (deadLetters.Count > 0)
            failures.Add($"{deadLetters.Count} dead letters: {string.Join("; ", deadLetters.Take(10))}");

        if (ledger is not null)
            CheckAcknowledged(ledger, log, orders, failures);

        if (searches is { ViolationCount: > 0 })
            failures.Add($"{searches.ViolationCount} of {searches.Searches + searches.ViolationCount} search answers were incomplete, inconsistent or errors; the first: \n    "
                         + string.Join("\n    ", searches.Violations));

        var summary = $"{log.Count} events, {fold.Orders.Count} orders, {fold.Customers.Count} customers; {progress}"
                      + (ledger is null ? "" : $"; writes: {ledger}")
                      + (searches is null ? "" : $"; {searches}");
        return new VerificationReport(failures, summary);
    }

    private static void Compare(string readModel, Dictionary<string, ExpectedDocument> expected, Dictionary<string, ActualDocument> actual, List<string> failures)
    {
        var problems = new List<string>();
        foreach (var (key, want) in expected.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!actual.TryGetValue(key, out var have))
            {
                problems.Add($"{readModel}/{key}: missing (expected version {want.Version}; from events {Events(want.Events, 0)})");
                continue;
            }

            using var wantJson = JsonDocument.Parse(want.Data.ToJsonString());
            var fields = DocumentDiff.Compare(have.Data, wantJson.RootElement);
            if (fields.Count == 0 && have.Version == want.Version)
                continue;
            var text = new StringBuilder($"{readModel}/{key}: version {have.Version}, expected {want.Version}");
            foreach (var field in fields)
                text.Append("; ").Append(field);
            if (have.Version < want.Version)
                text.Append("; events after its version: ").Append(Events(want.Events, have.Version));
            problems.Add(text.ToString());
        }

        foreach (var key in actual.Keys.Except(expected.Keys).Order(StringComparer.Ordinal))
            problems.Add($"{readModel}/{key}: in the read model (version {actual[key].Version}) but no event in the log makes it");

        if (problems.Count > 0)
            failures.Add($"{readModel}: {problems.Count} of {expected.Count} documents differ from the fold of mt_events:\n    "
                         + string.Join("\n    ", problems.Take(ShownDocuments)) + (problems.Count > ShownDocuments ? $"\n    ... and {problems.Count - ShownDocuments} more" : ""));
    }

    private static void CheckAcknowledged(WriteLedger ledger, IReadOnlyList<StoredEvent> log, Dictionary<string, ActualDocument> orders, List<string> failures)
    {
        var byStreamVersion = log.Where(e => !IndependentFold.NotDomainEvents.Contains(e.Type)).ToDictionary(e => (e.StreamId, e.Version));
        var lost = new List<string>();
        foreach (var write in ledger.Acknowledged)
        {
            if (!byStreamVersion.TryGetValue((write.OrderId, write.Version), out var e))
            {
                lost.Add($"{write.Command} of order {write.OrderId} answered {write.Status} at version {write.Version}, but the log has no such event");
                continue;
            }

            if (!ExpectedType(write.Command, e.Type))
                lost.Add($"{write.Command} of order {write.OrderId} answered {write.Status} at version {write.Version}, but that event is #{e.Sequence} {e.Type}");
            if (!orders.TryGetValue(write.OrderId.ToString(), out var doc) || doc.Version < e.Sequence)
                lost.Add($"{write.Command} of order {write.OrderId} (event #{e.Sequence}) is in the log but not in {ReadModels.OrderSearch} (document version {doc?.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "absent"})");
        }

        if (lost.Count > 0)
            failures.Add($"{lost.Count} of {ledger.Acknowledged.Count} acknowledged writes are lost:\n    " + string.Join("\n    ", lost.Take(ShownDocuments)));
    }

    private static bool ExpectedType(string command, string type) => command switch
    {
        "place" => type.StartsWith("order.placed", StringComparison.Ordinal),
        "add-item" => type == "order.item_added",
        "remove-item" => type == "order.item_removed",
        "pay" => type == "order.payment_confirmed",
        "ship" => type == "order.shipped",
        "cancel" => type == "order.cancelled",
        _ => false,
    };

    private static string Events(List<(long Sequence, string Type)> events, long after) =>
        string.Join(", ", events.Where(e => e.Sequence > after).Take(8).Select(e => $"#{e.Sequence} {e.Type}"));
}

/// <summary>What the checks found: <see cref="Failures"/> is empty when every guarantee held.</summary>
public sealed record VerificationReport(IReadOnlyList<string> Failures, string Summary)
{
    public string Describe(string scenario, int seed) =>
        $"{scenario} (seed {seed}; replay with {Infrastructure.SuiteSettings.SeedVariable}={seed}): {Summary}\n"
        + string.Join("\n", Failures.Select(f => "FAILED: " + f));
}
