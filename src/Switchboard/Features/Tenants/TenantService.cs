namespace Switchboard.Features.Tenants;

public sealed record TenantDto(Guid Id, string Name, string Slug, bool IsActive, string TimeZone, string Currency, string DateFormat, string DefaultCountry, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? LogoUrl = null);

/// <summary>The body of POST /api/v1/tenants, and of PATCH as a JSON merge patch (absent = unchanged).</summary>
public sealed record TenantWrite : RequestBody
{
    public Optional<string?> Name { get; init; }
    public Optional<string?> Slug { get; init; }
    /// <summary>An IANA time zone such as America/New_York.</summary>
    public Optional<string?> TimeZone { get; init; }
    /// <summary>An ISO 4217 code such as USD.</summary>
    public Optional<string?> Currency { get; init; }
    /// <summary>One of <see cref="TenantRules.DateFormats"/>.</summary>
    public Optional<string?> DateFormat { get; init; }
    /// <summary>An ISO 3166 alpha-2 code such as US: phone numbers without a country code are read as this country's.</summary>
    public Optional<string?> DefaultCountry { get; init; }
    /// <summary>The logo at the head of the tenant's emails: an https URL (null removes it).</summary>
    public Optional<string?> LogoUrl { get; init; }
    /// <summary>False deactivates the tenant: its members lose access at once.</summary>
    public Optional<bool?> IsActive { get; init; }
}

/// <summary>Tenant administration, for superadmins only. Changes are platform audit events.</summary>
[Scoped]
public sealed class TenantService(SwitchboardDbContext db, TenantContext ctx, AuditLog audit, TimeProvider clock, Features.Telephony.WebhookCache webhooks)
{
    public async Task<Outcome<IReadOnlyList<TenantDto>>> ListAsync(CancellationToken ct)
    {
        if (!ctx.IsSuperadmin) return new Outcome<IReadOnlyList<TenantDto>>.Forbidden("Only superadmins can manage tenants.");
        var tenants = await db.Tenants.AsNoTracking().OrderBy(t => t.Name).ToListAsync(ct);
        return tenants.Select(ToDto).ToList();
    }

    public async Task<Outcome<PagedList<TenantDto>>> ListAsync(int? page, int? pageSize, CancellationToken ct)
    {
        if (!ctx.IsSuperadmin) return new Outcome<PagedList<TenantDto>>.Forbidden("Only superadmins can manage tenants.");
        var errors = new ValidationErrors();
        var paging = PageRequest.Validate(page, pageSize, errors);
        if (!errors.IsValid) return new Outcome<PagedList<TenantDto>>.Invalid(errors.ToDictionary());
        return await paging.ApplyAsync(db, db.Tenants.AsNoTracking().OrderBy(t => t.Name).ThenBy(t => t.Id)
            .Select(t => new TenantDto(t.Id, t.Name, t.Slug, t.IsActive, t.TimeZone, t.Currency, t.DateFormat, t.DefaultCountry, t.CreatedAt, t.UpdatedAt, t.LogoUrl)), ct);
    }

    public async Task<Outcome<TenantDto>> CreateAsync(TenantWrite body, CancellationToken ct)
    {
        if (!ctx.IsSuperadmin) return new Outcome<TenantDto>.Forbidden("Only superadmins can manage tenants.");
        var now = clock.GetUtcNow();
        var tenant = new Tenant { Id = Guid.CreateVersion7(), Name = "", Slug = "", TimeZone = "", Currency = "", DateFormat = "yyyy-MM-dd", DefaultCountry = "", CreatedAt = now, UpdatedAt = now };
        var errors = Apply(tenant, body, isNew: true);
        if (!errors.IsValid) return new Outcome<TenantDto>.Invalid(errors.ToDictionary());
        if (await db.Tenants.AnyAsync(t => t.Slug == tenant.Slug, ct))
            return new Outcome<TenantDto>.Invalid(new Dictionary<string, string[]> { ["slug"] = [$"The slug '{tenant.Slug}' is already taken."] });

        db.Tenants.Add(tenant);
        audit.Add(AuditActions.TenantCreated, null, "tenant", tenant.Id.ToString(), ToDto(tenant));
        await db.SaveChangesAsync(ct);
        return ToDto(tenant);
    }

    public async Task<Outcome<TenantDto>> UpdateAsync(Guid id, TenantWrite patch, CancellationToken ct)
    {
        if (!ctx.IsSuperadmin) return new Outcome<TenantDto>.Forbidden("Only superadmins can manage tenants.");
        var tenant = await db.Tenants.SingleOrDefaultAsync(t => t.Id == id, ct);
        if (tenant is null) return new Outcome<TenantDto>.NotFound();
        var before = ToDto(tenant);
        var errors = Apply(tenant, patch, isNew: false);
        if (!errors.IsValid) return new Outcome<TenantDto>.Invalid(errors.ToDictionary());
        if (await db.Tenants.AnyAsync(t => t.Slug == tenant.Slug && t.Id != id, ct))
            return new Outcome<TenantDto>.Invalid(new Dictionary<string, string[]> { ["slug"] = [$"The slug '{tenant.Slug}' is already taken."] });

        tenant.UpdatedAt = clock.GetUtcNow();
        var action = before.IsActive == tenant.IsActive ? AuditActions.TenantUpdated : tenant.IsActive ? AuditActions.TenantReactivated : AuditActions.TenantDeactivated;
        audit.Add(action, null, "tenant", tenant.Id.ToString(), new { before, after = ToDto(tenant) });
        await db.SaveChangesAsync(ct);
        webhooks.Forget(tenant.Id);
        return ToDto(tenant);
    }

    private static ValidationErrors Apply(Tenant tenant, TenantWrite body, bool isNew)
    {
        var errors = body.BindingErrors();
        if (body.Name is { IsSet: true } name) tenant.Name = name.Value ?? "";
        if (body.Slug is { IsSet: true } slug) tenant.Slug = slug.Value ?? "";
        if (body.TimeZone is { IsSet: true } zone) tenant.TimeZone = zone.Value ?? "";
        if (body.Currency is { IsSet: true } currency) tenant.Currency = currency.Value?.ToUpperInvariant() ?? "";
        if (body.DateFormat is { IsSet: true } format) tenant.DateFormat = format.Value ?? "";
        if (body.DefaultCountry is { IsSet: true } country) tenant.DefaultCountry = country.Value?.ToUpperInvariant() ?? "";
        if (body.LogoUrl is { IsSet: true } logo) tenant.LogoUrl = string.IsNullOrWhiteSpace(logo.Value) ? null : logo.Value.Trim();
        if (body.IsActive is { IsSet: true } active)
        {
            if (active.Value is null) errors.Add("isActive", "isActive cannot be null.");
            else tenant.IsActive = active.Value.Value;
        }

        if (isNew || body.Name.IsSet) errors.Required("name", tenant.Name, "Name", 200);
        if (isNew || body.Slug.IsSet) TenantRules.Slug(errors, tenant.Slug);
        if (isNew || body.TimeZone.IsSet) TenantRules.TimeZone(errors, tenant.TimeZone);
        if (isNew || body.Currency.IsSet) TenantRules.Currency(errors, tenant.Currency);
        if (isNew || body.DefaultCountry.IsSet) TenantRules.Country(errors, tenant.DefaultCountry);
        if (body.DateFormat.IsSet) TenantRules.DateFormat(errors, tenant.DateFormat);
        if (body.LogoUrl.IsSet) TenantRules.LogoUrl(errors, tenant.LogoUrl);
        return errors;
    }

    public static TenantDto ToDto(Tenant t) =>
        new(t.Id, t.Name, t.Slug, t.IsActive, t.TimeZone, t.Currency, t.DateFormat, t.DefaultCountry, t.CreatedAt, t.UpdatedAt, t.LogoUrl);
}
