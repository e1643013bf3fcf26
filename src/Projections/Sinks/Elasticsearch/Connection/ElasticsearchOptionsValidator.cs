using System.Globalization;

namespace EventSourcing.Projections.Sinks.Elasticsearch;

internal static class ElasticsearchOptionsValidator
{
    private const string Section = ElasticsearchOptions.SectionName + ":";

    public static IReadOnlyList<string> Validate(ElasticsearchOptions o)
    {
        var errors = new List<string>();
        ValidateUrls(o, errors);
        ValidateCredentials(o, errors);
        ValidateTls(o, errors);

        if (o.MaxBulkAttempts < 1)
            errors.Add($"{Section}MaxBulkAttempts is {o.MaxBulkAttempts.ToString(CultureInfo.InvariantCulture)}; it must be at least 1.");
        if (o.InitialBackoff <= TimeSpan.Zero)
            errors.Add($"{Section}InitialBackoff is {o.InitialBackoff}; it must be positive.");
        if (o.MaxBackoff < o.InitialBackoff)
            errors.Add($"{Section}MaxBackoff ({o.MaxBackoff}) is below InitialBackoff ({o.InitialBackoff}).");
        if (o.RequestTimeout <= TimeSpan.Zero)
            errors.Add($"{Section}RequestTimeout is {o.RequestTimeout}; it must be positive.");
        if (o.RetainRetiredIndexFor < TimeSpan.Zero)
            errors.Add($"{Section}RetainRetiredIndexFor is {o.RetainRetiredIndexFor}; it must not be negative.");
        if (!Enum.IsDefined(o.Refresh))
            errors.Add($"{Section}Refresh is '{o.Refresh}'; use False, WaitFor or True.");
        return errors;
    }

    private static void ValidateUrls(ElasticsearchOptions o, List<string> errors)
    {
        if (o.Urls is null || o.Urls.Count == 0)
        {
            errors.Add($"{Section}Urls is empty; give at least one node URL, e.g. https://localhost:9200.");
            return;
        }

        for (var i = 0; i < o.Urls.Count; i++)
        {
            var url = o.Urls[i];
            var name = $"{Section}Urls[{i.ToString(CultureInfo.InvariantCulture)}]";
            if (url is null || !url.IsAbsoluteUri)
            {
                errors.Add($"{name} is not an absolute URL.");
                continue;
            }

            // Never echo user info: it may hold a password.
            var shown = url.GetLeftPart(UriPartial.Scheme) + url.Host + ":" + url.Port.ToString(CultureInfo.InvariantCulture);
            if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
                errors.Add($"{name} ({shown}) must use http or https.");
            if (!string.IsNullOrEmpty(url.UserInfo))
                errors.Add($"{name} ({shown}) contains credentials; set Username/Password or ApiKey instead.");
            if (!string.IsNullOrEmpty(url.Query))
                errors.Add($"{name} ({shown}) must not contain a query string.");
            if (url.Scheme == Uri.UriSchemeHttp && HasCredentials(o) && !o.AllowCredentialsOverHttp)
                errors.Add($"{name} ({shown}) is plain http but credentials are configured; use https or set AllowCredentialsOverHttp for a local cluster.");
            if (url.Scheme == Uri.UriSchemeHttp && (o.CertificateFingerprint is not null || o.CertificateAuthorityPath is not null))
                errors.Add($"{name} ({shown}) is plain http but TLS settings are configured; use https.");
        }
    }

    private static void ValidateCredentials(ElasticsearchOptions o, List<string> errors)
    {
        if (o.ApiKey is not null && string.IsNullOrWhiteSpace(o.ApiKey))
            errors.Add($"{Section}ApiKey is set but blank.");
        if (o.ApiKey is not null && (o.Username is not null || o.Password is not null))
            errors.Add($"{Section}ApiKey and Username/Password are both set; configure exactly one authentication method.");
        if (o.Username is not null && string.IsNullOrWhiteSpace(o.Password))
            errors.Add($"{Section}Username is set but Password is missing.");
        if (o.Password is not null && string.IsNullOrWhiteSpace(o.Username))
            errors.Add($"{Section}Password is set but Username is missing.");
    }

    private static void ValidateTls(ElasticsearchOptions o, List<string> errors)
    {
        if (o.CertificateFingerprint is not null && o.CertificateAuthorityPath is not null)
            errors.Add($"{Section}CertificateFingerprint and CertificateAuthorityPath are both set; configure one.");
        if (o.CertificateFingerprint is not null && !IsSha256Fingerprint(o.CertificateFingerprint))
            errors.Add($"{Section}CertificateFingerprint '{o.CertificateFingerprint}' is not a SHA-256 fingerprint (64 hex digits, colons optional).");
        if (o.CertificateAuthorityPath is not null && !File.Exists(o.CertificateAuthorityPath))
            errors.Add($"{Section}CertificateAuthorityPath '{o.CertificateAuthorityPath}' does not exist.");
    }

    private static bool HasCredentials(ElasticsearchOptions o) => o.ApiKey is not null || o.Username is not null || o.Password is not null;

    private static bool IsSha256Fingerprint(string value)
    {
        var hex = value.Replace(":", "", StringComparison.Ordinal);
        return hex.Length == 64 && hex.All(Uri.IsHexDigit);
    }
}
