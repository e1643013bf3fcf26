using System.Security.Cryptography;
using System.Text;

namespace EventSourcing.SchemaTools.Registry;

/// <summary>
/// An Avro schema in the registry's canonical text (parsed and written back by Apache.Avro, so
/// whitespace and key order in the submitted text do not matter) with its fingerprint: the same
/// schema text always gets the same id.
/// </summary>
internal sealed record CanonicalSchema(string Text, string Fingerprint, Guid Guid)
{
    public static CanonicalSchema Parse(string subject, string schemaText)
    {
        if (string.IsNullOrWhiteSpace(schemaText))
            throw RegistryErrors.InvalidSchema(subject, "the schema text is empty");
        string text;
        try
        {
            text = Avro.Schema.Parse(schemaText).ToString();
        }
        catch (Exception e) when (e is Avro.AvroException or Newtonsoft.Json.JsonException)
        {
            throw RegistryErrors.InvalidSchema(subject, e.Message);
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return new CanonicalSchema(text, Convert.ToHexStringLower(hash), new Guid(hash.AsSpan(0, 16)));
    }
}
