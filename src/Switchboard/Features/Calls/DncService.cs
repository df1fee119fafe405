using Switchboard.Platform.Csv;

namespace Switchboard.Features.Calls;

public sealed record DncDto(string Phone, string? Reason, string Source, DateTimeOffset CreatedAt, Guid? CreatedBy);

/// <summary>A number to add to the do-not-call list, with an optional reason.</summary>
public sealed record DncWrite : RequestBody
{
    public Optional<string?> Phone { get; init; }
    public Optional<string?> Reason { get; init; }
}

/// <summary>The multipart body of POST /api/v1/dnc/import: a CSV in the part named file.</summary>
public sealed record DncImportForm(IFormFile File);

public sealed record DncImportResult(int Added, int AlreadyListed, IReadOnlyList<DncImportError> Errors);

public sealed record DncImportError(int Row, string Value, string Reason);

/// <summary>
/// The tenant's do-not-call list. Anyone who dials may read it (the dialer shows why a number is blocked);
/// admins and managers change it. Every change is audited.
/// </summary>
[Scoped]
public sealed class DncService(SwitchboardDbContext db, TenantContext ctx, TimeProvider clock)
{
    public static bool CanManage(TenantContext ctx) => ctx.Role is TenantRole.Admin or TenantRole.Manager or TenantRole.Superadmin;

    public async Task<Outcome<PagedList<DncDto>>> ListAsync(string? search, int? page, int? pageSize, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var paging = PageRequest.Validate(page, pageSize, errors);
        if (!errors.IsValid) return new Outcome<PagedList<DncDto>>.Invalid(errors.ToDictionary());
        var rows = db.DncNumbers.AsNoTracking();
        var digits = PhoneNumbers.Digits(search);
        if (digits.Length > 0) rows = rows.Where(d => d.Phone.Contains(digits));
        return await paging.ApplyAsync(db, rows.OrderByDescending(d => d.CreatedAt).ThenBy(d => d.Phone)
            .Select(d => new DncDto(d.Phone, d.Reason, d.Source, d.CreatedAt, d.CreatedBy)), ct);
    }

    public Task<bool> IsListedAsync(string e164, CancellationToken ct) => db.DncNumbers.AnyAsync(d => d.Phone == e164, ct);

    public async Task<Outcome<DncDto>> AddAsync(DncWrite body, CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<DncDto>.Forbidden("Only administrators and managers can change the do-not-call list.");
        var errors = body.BindingErrors();
        var reason = body.Reason.Value;
        errors.MaxLength("reason", reason, "Reason", 500);
        if (!TryNormalize(body.Phone.Value, errors, out var phone) || !errors.IsValid) return new Outcome<DncDto>.Invalid(errors.ToDictionary());
        var existing = await db.DncNumbers.AsNoTracking().SingleOrDefaultAsync(d => d.Phone == phone, ct);
        if (existing is not null) return ToDto(existing);
        var entry = Add(phone, reason, "manual");
        await db.SaveChangesAsync(ct);
        return ToDto(entry);
    }

    /// <summary>Adds a number on behalf of a call disposition; part of the caller's unit of work.</summary>
    public async Task AddFromDispositionAsync(string e164, CancellationToken ct)
    {
        if (!await db.DncNumbers.AnyAsync(d => d.Phone == e164, ct) && !db.DncNumbers.Local.Any(d => d.Phone == e164))
            Add(e164, "Disposition: do not call", "disposition");
    }

    public async Task<Outcome<bool>> RemoveAsync(string phoneText, CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<bool>.Forbidden("Only administrators and managers can change the do-not-call list.");
        var errors = new ValidationErrors();
        if (!TryNormalize(phoneText, errors, out var phone)) return new Outcome<bool>.NotFound();
        var entry = await db.DncNumbers.SingleOrDefaultAsync(d => d.Phone == phone, ct);
        if (entry is null) return new Outcome<bool>.NotFound();
        db.DncNumbers.Remove(entry);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>
    /// Imports a CSV with a phone column (header "phone", or else the first column) and an optional "reason"
    /// column; comma, semicolon or tab separated, quoted fields allowed. Bad rows are reported, good ones kept.
    /// </summary>
    public async Task<Outcome<DncImportResult>> ImportAsync(Stream csv, CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<DncImportResult>.Forbidden("Only administrators and managers can change the do-not-call list.");
        using var buffer = new MemoryStream();
        await csv.CopyToAsync(buffer, ct);

        var existing = (await db.DncNumbers.AsNoTracking().Select(d => d.Phone).ToListAsync(ct)).ToHashSet();
        var errors = new List<DncImportError>();
        int added = 0, already = 0, phoneColumn = 0, reasonColumn = -1;
        var first = true;
        foreach (var (record, malformed) in CsvUpload.Read(CsvUpload.Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length))))
        {
            var line = record.Row;
            var fields = record.Fields;
            if (malformed is not null)
            {
                errors.Add(new DncImportError(line, "", malformed));
                first = false;
                continue;
            }
            if (first)
            {
                first = false;
                var header = Array.FindIndex(fields, h => h.Equals("phone", StringComparison.OrdinalIgnoreCase));
                if (header >= 0 || (fields.Length > 0 && PhoneNumbers.Digits(fields[0]).Length < 7))
                {
                    phoneColumn = Math.Max(header, 0);
                    reasonColumn = Array.FindIndex(fields, h => h.Equals("reason", StringComparison.OrdinalIgnoreCase));
                    continue;
                }
            }
            var value = phoneColumn < fields.Length ? fields[phoneColumn] : "";
            var reason = reasonColumn >= 0 && reasonColumn < fields.Length ? fields[reasonColumn] : null;
            var parsed = PhoneNumbers.Normalize(value, ctx.Tenant?.DefaultCountry ?? "US");
            if (!parsed.Success) errors.Add(new DncImportError(line, value, parsed.Error!));
            else if (!existing.Add(parsed.E164!)) already++;
            else
            {
                Add(parsed.E164!, string.IsNullOrWhiteSpace(reason) ? null : reason[..Math.Min(reason.Length, 500)], "import");
                added++;
            }
        }
        await db.SaveChangesAsync(ct);
        return new DncImportResult(added, already, errors);
    }

    private DncNumber Add(string e164, string? reason, string source)
    {
        var entry = new DncNumber { Phone = e164, Reason = reason, Source = source, CreatedAt = clock.GetUtcNow(), CreatedBy = ctx.UserId };
        db.DncNumbers.Add(entry);
        return entry;
    }

    private bool TryNormalize(string? text, ValidationErrors errors, out string phone)
    {
        phone = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add("phone", "Phone is required.");
            return false;
        }
        var parsed = PhoneNumbers.Normalize(text, ctx.Tenant?.DefaultCountry ?? "US");
        if (!parsed.Success)
        {
            errors.Add("phone", parsed.Error!);
            return false;
        }
        phone = parsed.E164!;
        return true;
    }

    private static DncDto ToDto(DncNumber d) => new(d.Phone, d.Reason, d.Source, d.CreatedAt, d.CreatedBy);
}
