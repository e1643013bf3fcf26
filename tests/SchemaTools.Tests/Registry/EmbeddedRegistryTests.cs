using System.Net;
using Confluent.SchemaRegistry;
using EventSourcing.SchemaTools.Registry;
using EventSourcing.TestInfrastructure;

namespace EventSourcing.SchemaTools.Tests.Registry;

using Compatibility = Confluent.SchemaRegistry.Compatibility;

public sealed class EmbeddedRegistryTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private PostgresSchemaRegistryClient NewClient(string schema, ISchemaCompatibilityGate? gate = null) =>
        new(postgres.DataSource, new EmbeddedSchemaRegistryOptions { DatabaseSchema = schema }, gate ?? new RecordingGate());

    [Fact]
    public async Task ids_and_versions_survive_a_restart_and_the_same_text_keeps_its_id()
    {
        var schema = postgres.NewSchemaName();
        int v1Id, v2Id;
        using (var first = NewClient(schema))
        {
            v1Id = await first.RegisterSchemaAsync("orders.placed", new Schema(Schemas.OrderPlacedV1, SchemaType.Avro));
            v2Id = await first.RegisterSchemaAsync("orders.placed", new Schema(Schemas.OrderPlacedV2, SchemaType.Avro));
        }

        using var restarted = NewClient(schema);
        // The same schema written differently (whitespace) is the same schema: same id, no new version.
        var again = await restarted.RegisterSchemaWithResponseAsync("orders.placed", new Schema(Schemas.OrderPlacedV1.Replace("\n", " ", StringComparison.Ordinal), SchemaType.Avro));
        var otherSubject = await restarted.RegisterSchemaWithResponseAsync("orders.placed.copy", new Schema(Schemas.OrderPlacedV2, SchemaType.Avro));

        Assert.NotEqual(v1Id, v2Id);
        Assert.Equal((v1Id, 1), (again.Id, again.Version));
        Assert.Equal((v2Id, 1), (otherSubject.Id, otherSubject.Version));
        Assert.Equal([1, 2], await restarted.GetSubjectVersionsAsync("orders.placed"));
        Assert.Equal(["orders.placed", "orders.placed.copy"], await restarted.GetAllSubjectsAsync());

        var latest = await restarted.GetLatestSchemaAsync("orders.placed");
        Assert.Equal((v2Id, 2), (latest.Id, latest.Version));
        var byId = await restarted.GetSchemaAsync(v1Id);
        Assert.Equal(Avro.Schema.Parse(Schemas.OrderPlacedV1).ToString(), byId.SchemaString);
        var version1 = await restarted.GetRegisteredSchemaAsync("orders.placed", 1);
        Assert.Equal(v1Id, version1.Id);
        var looked = await restarted.LookupSchemaAsync("orders.placed", new Schema(Schemas.OrderPlacedV2, SchemaType.Avro), ignoreDeletedSchemas: true);
        Assert.Equal(2, looked.Version);
        var byGuid = await restarted.GetSchemaByGuidAsync(looked.Guid);
        Assert.Equal(looked.SchemaString, byGuid.SchemaString);
    }

    [Fact]
    public async Task the_checker_sees_every_earlier_version_oldest_first_under_the_subjects_level()
    {
        var gate = new RecordingGate();
        using var client = NewClient(postgres.NewSchemaName(), gate);
        await client.UpdateCompatibilityAsync(Compatibility.FullTransitive, "orders.placed");

        await client.RegisterSchemaAsync("orders.placed", new Schema(Schemas.OrderPlacedV1, SchemaType.Avro));
        await client.RegisterSchemaAsync("orders.placed", new Schema(Schemas.OrderPlacedV2, SchemaType.Avro));

        var call = Assert.Single(gate.Calls); // the first version has nothing to be compatible with
        Assert.Equal(Compatibility.FullTransitive, call.Level);
        Assert.Equal([Avro.Schema.Parse(Schemas.OrderPlacedV1).ToString()], call.Previous);
        Assert.Equal(Avro.Schema.Parse(Schemas.OrderPlacedV2).ToString(), call.Candidate);
        Assert.Equal(Compatibility.FullTransitive, await client.GetCompatibilityAsync("orders.placed"));
        Assert.Equal(Compatibility.Backward, await client.GetCompatibilityAsync("another.subject"));
    }

    [Fact]
    public async Task a_schema_the_checker_rejects_is_refused_with_409_naming_subject_level_and_violation_and_nothing_is_stored()
    {
        var schema = postgres.NewSchemaName();
        using (var setup = NewClient(schema))
            await setup.RegisterSchemaAsync("orders.placed", new Schema(Schemas.OrderPlacedV1, SchemaType.Avro));

        using var client = NewClient(schema, new RecordingGate("orders.OrderPlaced.currency: field added without a default"));
        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() =>
            client.RegisterSchemaAsync("orders.placed", new Schema(Schemas.OrderPlacedV2Breaking, SchemaType.Avro)));

        Assert.Equal(HttpStatusCode.Conflict, error.Status);
        Assert.Equal(409, error.ErrorCode);
        Assert.Contains("'orders.placed'", error.Message, StringComparison.Ordinal);
        Assert.Contains("BACKWARD", error.Message, StringComparison.Ordinal);
        Assert.Contains("orders.OrderPlaced.currency: field added without a default", error.Message, StringComparison.Ordinal);
        Assert.Equal([1], await client.GetSubjectVersionsAsync("orders.placed"));
        Assert.False(await client.IsCompatibleAsync("orders.placed", new Schema(Schemas.OrderPlacedV2Breaking, SchemaType.Avro)));
    }

    [Fact]
    public async Task level_none_registers_without_asking_the_checker()
    {
        var gate = new RecordingGate("would refuse");
        using var client = NewClient(postgres.NewSchemaName(), gate);
        await client.UpdateCompatibilityAsync(Compatibility.None);

        await client.RegisterSchemaAsync("orders.placed", new Schema(Schemas.OrderPlacedV1, SchemaType.Avro));
        var version = await client.RegisterSchemaWithResponseAsync("orders.placed", new Schema(Schemas.OrderPlacedV2Breaking, SchemaType.Avro));

        Assert.Equal(2, version.Version);
        Assert.Empty(gate.Calls);
    }

    [Fact]
    public async Task unknown_subjects_versions_ids_and_malformed_schemas_fail_with_the_registry_error_codes()
    {
        using var client = NewClient(postgres.NewSchemaName());
        await client.RegisterSchemaAsync("orders.placed", new Schema(Schemas.OrderPlacedV1, SchemaType.Avro));

        var noSubject = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.GetLatestSchemaAsync("orders.missing"));
        var noVersion = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.GetRegisteredSchemaAsync("orders.placed", 7));
        var noId = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.GetSchemaAsync(424242));
        var notRegistered = await Assert.ThrowsAsync<SchemaRegistryException>(() =>
            client.LookupSchemaAsync("orders.placed", new Schema(Schemas.OrderPlacedV2, SchemaType.Avro), ignoreDeletedSchemas: true));
        var malformed = await Assert.ThrowsAsync<SchemaRegistryException>(() =>
            client.RegisterSchemaAsync("orders.placed", new Schema("{\"type\":\"record\",\"name\":", SchemaType.Avro)));

        Assert.Equal(40401, noSubject.ErrorCode);
        Assert.StartsWith("Subject 'orders.missing' not found.", noSubject.Message, StringComparison.Ordinal);
        Assert.Equal(40402, noVersion.ErrorCode);
        Assert.Contains("id 424242", noId.Message, StringComparison.Ordinal);
        Assert.Equal(40403, notRegistered.ErrorCode);
        Assert.Equal(42201, malformed.ErrorCode);
        Assert.Contains("'orders.placed'", malformed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task concurrent_registrations_of_the_same_schema_from_separate_clients_agree_on_one_id_and_one_version()
    {
        var schema = postgres.NewSchemaName();
        var clients = Enumerable.Range(0, 6).Select(_ => NewClient(schema)).ToList();
        try
        {
            var registered = await Task.WhenAll(clients.Select(c =>
                c.RegisterSchemaWithResponseAsync("orders.placed", new Schema(Schemas.OrderPlacedV1, SchemaType.Avro))));

            Assert.Single(registered.Select(r => (r.Id, r.Version)).Distinct());
            Assert.Equal([1], await clients[0].GetSubjectVersionsAsync("orders.placed"));
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }
}
