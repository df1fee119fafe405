namespace Switchboard.Platform.Tenancy;

public sealed class Tenant
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string Slug { get; set; }
    public bool IsActive { get; set; } = true;
    public required string TimeZone { get; set; }
    public required string Currency { get; set; }
    public required string DateFormat { get; set; }
    public required string DefaultCountry { get; set; }

    /// <summary>The logo at the head of the tenant's emails: an https URL the mail client loads (the server never fetches it).</summary>
    public string? LogoUrl { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
