namespace Switchboard.Platform.Tenancy;

/// <summary>What a tenant row means to the request pipeline: its settings for the context, and the deactivated message.</summary>
public static class TenantMessages
{
    public static string Deactivated(string tenantName) =>
        $"The tenant '{tenantName}' is deactivated. Contact your Switchboard administrator to reactivate it.";

    public static TenantSettings Settings(Tenant t) =>
        new(t.Id, t.Name, t.Slug, t.IsActive, t.TimeZone, t.Currency, t.DateFormat, t.DefaultCountry);
}
