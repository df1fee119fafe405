using Microsoft.AspNetCore.Identity;
using Switchboard.Platform.Csv;

namespace Switchboard.Features.Users;

public sealed record UserImportResult(int Created, int AddedToTenant, int Skipped, IReadOnlyList<UserImportError> Errors);

/// <summary>What inviting from a CSV did: invitations sent, people skipped (members already, or invited already), rows refused.</summary>
public sealed record InvitationImportResult(int Invited, int Skipped, IReadOnlyList<UserImportError> Errors);

/// <summary>The multipart form of POST /api/v1/invitations/import, for the API description.</summary>
public sealed record InvitationImportForm(IFormFile File);

/// <summary>A refused row: its spreadsheet row (header = 1), the column at fault, what it held and why.</summary>
public sealed record UserImportError(int Row, string Column, string? Value, string Reason);

/// <summary>The multipart form of POST /api/v1/users/import, for the API description.</summary>
public sealed record UserImportForm(IFormFile File, string? Password);

/// <summary>
/// People from a CSV (email, firstName, lastName, role, department, phone). Tenant administrators invite them
/// (<see cref="InviteAsync"/>: one invitation each, names only to greet them). Superadmins may instead create them
/// (<see cref="ImportAsync"/>): a new email gets an account with the initial password given with the file, an existing
/// account is added to the tenant. Members already here are skipped either way. Bad rows are reported and never stop
/// good ones; the whole file is written in one transaction, so a server error leaves nothing half-imported.
/// </summary>
[Scoped]
public sealed class UserImport(SwitchboardDbContext db, TenantContext ctx, UserManager<AppUser> users, TimeProvider clock, AuditLog audit,
    Invitations.InvitationService invitations)
{
    public const int MaxBytes = 5 * 1024 * 1024;
    public const int MaxRows = 5_000;
    public static readonly IReadOnlyList<string> Columns = ["email", "firstName", "lastName", "role", "department", "phone"];

    private sealed record Candidate(int Row, string Email, string? FirstName, string? LastName, string Role, string? Department, string? Phone);

    public async Task<Outcome<UserImportResult>> ImportAsync(ReadOnlyMemory<byte> file, string? password, CancellationToken ct)
    {
        if (ctx.TenantId is null) return new Outcome<UserImportResult>.Forbidden("Select a tenant first.");
        if (!ctx.IsSuperadmin) return new Outcome<UserImportResult>.Forbidden("Tenant administrators invite people from a CSV (POST /api/v1/invitations/import); only superadmins create accounts.");
        if (string.IsNullOrEmpty(password)) password = null;
        if (password is not null && await PasswordProblemsAsync(password) is { Length: > 0 } problems)
            return new Outcome<UserImportResult>.Invalid(new Dictionary<string, string[]> { ["password"] = problems });
        var (candidates, errors, invalid) = Parse(file, ["email", "firstName", "lastName", "role"]);
        if (invalid is not null) return new Outcome<UserImportResult>.Invalid(invalid);

        await using var unit = await db.BeginUnitOfWorkAsync(ct);
        var normalized = candidates.Select(c => users.NormalizeEmail(c.Email)).ToList();
        var accounts = await db.Users.Where(u => u.NormalizedEmail != null && normalized.Contains(u.NormalizedEmail))
            .ToDictionaryAsync(u => u.NormalizedEmail!, ct);
        var accountIds = accounts.Values.Select(u => u.Id).ToList();
        var members = (await db.Memberships.Where(m => accountIds.Contains(m.UserId)).Select(m => m.UserId).ToListAsync(ct)).ToHashSet();

        int created = 0, added = 0, skipped = 0;
        try
        {
            foreach (var candidate in candidates)
            {
                if (accounts.TryGetValue(users.NormalizeEmail(candidate.Email), out var account))
                {
                    if (members.Contains(account.Id))
                    {
                        skipped++;
                        continue;
                    }
                    added++;
                }
                else
                {
                    if ((account = await CreateAccountAsync(candidate, password, errors)) is null) continue;
                    created++;
                }
                db.Memberships.Add(new TenantMembership
                {
                    UserId = account.Id, Role = candidate.Role, Department = candidate.Department, Phone = candidate.Phone,
                });
            }
            audit.Add(AuditActions.UsersImported, ctx.TenantId, "membership", null, new { created, addedToTenant = added, skipped, errors = errors.Count });
            await db.SaveChangesAsync(ct);
            await unit.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e, out _))
        {
            return new Outcome<UserImportResult>.Conflict("Some of these people were added by someone else at the same time. Nothing was imported; run the import again.");
        }
        return new UserImportResult(created, added, skipped, errors.OrderBy(e => e.Row).ToList());
    }

    /// <summary>Invites everyone in the file who is neither a member nor invited already, in one transaction.</summary>
    public async Task<Outcome<InvitationImportResult>> InviteAsync(ReadOnlyMemory<byte> file, CancellationToken ct)
    {
        if (ctx.TenantId is null || !UserService.CanManage(ctx)) return new Outcome<InvitationImportResult>.Forbidden("Only administrators can invite people.");
        var (candidates, errors, invalid) = Parse(file, ["email", "role"]);
        if (invalid is not null) return new Outcome<InvitationImportResult>.Invalid(invalid);

        await using var unit = await db.BeginUnitOfWorkAsync(ct);
        int invited = 0, skipped = 0;
        try
        {
            foreach (var candidate in candidates)
            {
                if (await invitations.RefusalAsync(candidate.Email, ct) is not null)
                {
                    skipped++;
                    continue;
                }
                if (await invitations.SsoDomainProblemAsync(candidate.Email, ct) is { } domainProblem)
                {
                    errors.Add(new UserImportError(candidate.Row, "email", candidate.Email, domainProblem));
                    continue;
                }
                var name = $"{candidate.FirstName} {candidate.LastName}".Trim();
                await invitations.AddAsync(candidate.Email, candidate.Role, candidate.Department, candidate.Phone, name.Length > 0 ? name : null, ct);
                invited++;
            }
            audit.Add(AuditActions.InvitationsImported, ctx.TenantId, "invitation", null, new { invited, skipped, errors = errors.Count });
            await db.SaveChangesAsync(ct);
            await unit.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e, out _))
        {
            return new Outcome<InvitationImportResult>.Conflict("Some of these people were invited by someone else at the same time. Nothing was sent; run the import again.");
        }
        return new InvitationImportResult(invited, skipped, errors.OrderBy(e => e.Row).ToList());
    }

    /// <summary>The file's good rows (each email once) and its refused ones; or why the whole file is refused.</summary>
    private (List<Candidate> Candidates, List<UserImportError> Errors, IDictionary<string, string[]>? Invalid) Parse(ReadOnlyMemory<byte> file, string[] requiredColumns)
    {
        static IDictionary<string, string[]> FileProblem(string message) => new Dictionary<string, string[]> { ["file"] = [message] };
        if (file.Length > MaxBytes) return ([], [], FileProblem($"The file is larger than {MaxBytes / 1024 / 1024} MB."));
        var records = CsvUpload.Read(CsvUpload.Decode(file.Span)).ToList();
        if (records.Count == 0 || records[0].Malformed is not null) return ([], [], FileProblem("The file is empty or its header line cannot be read."));
        if (records.Count - 1 > MaxRows) return ([], [], FileProblem($"The file has more than {MaxRows} rows; split it."));
        if (HeaderProblem(records[0].Record.Fields, requiredColumns, out var columnIndex) is { } headerProblem) return ([], [], FileProblem(headerProblem));

        var errors = new List<UserImportError>();
        var candidates = new List<Candidate>();
        var firstRowOf = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var (record, malformed) in records.Skip(1))
        {
            if (malformed is not null)
            {
                errors.Add(new UserImportError(record.Row, "", "", malformed));
                continue;
            }
            if (Validate(record, columnIndex, errors) is not { } candidate) continue;
            if (firstRowOf.TryGetValue(candidate.Email, out var earlier))
                errors.Add(new UserImportError(record.Row, "email", candidate.Email, $"The same email is on row {earlier}; each person once."));
            else
            {
                firstRowOf[candidate.Email] = record.Row;
                candidates.Add(candidate);
            }
        }
        return (candidates, errors, null);
    }

    /// <summary>Null when the header names the required columns and no unknown ones; columnIndex maps each column to its position.</summary>
    private static string? HeaderProblem(string[] header, string[] requiredColumns, out Dictionary<string, int> columnIndex)
    {
        var index = columnIndex = new Dictionary<string, int>();
        var unknown = new List<string>();
        for (var i = 0; i < header.Length; i++)
        {
            var name = Columns.FirstOrDefault(c => c.Equals(Simplify(header[i]), StringComparison.OrdinalIgnoreCase));
            if (name is null) unknown.Add(header[i]);
            else columnIndex.TryAdd(name, i);
        }
        var optional = Columns.Except(requiredColumns).ToList();
        var expected = $"The first line must name the columns {string.Join(", ", Columns)} ({string.Join(" and ", optional)} may be left out).";
        if (unknown.Count > 0) return $"Unknown column(s): {string.Join(", ", unknown.Select(u => $"'{Truncate(u)}'"))}. {expected}";
        var missing = requiredColumns.Where(c => !index.ContainsKey(c)).ToList();
        return missing.Count > 0 ? $"Missing column(s): {string.Join(", ", missing)}. {expected}" : null;
    }

    /// <summary>"First name", "first_name" and "FIRSTNAME" all mean firstName.</summary>
    private static string Simplify(string header) => new(header.Where(char.IsLetter).ToArray());

    private Candidate? Validate(CsvRecord record, Dictionary<string, int> columnIndex, List<UserImportError> errors)
    {
        var before = errors.Count;
        string? Field(string column) =>
            columnIndex.TryGetValue(column, out var i) && i < record.Fields.Length && record.Fields[i] is { Length: > 0 } value ? value : null;
        void Fail(string column, string? value, string reason) => errors.Add(new UserImportError(record.Row, column, Truncate(value), reason));

        // PostgreSQL text cannot hold NUL, and no name or email needs control characters: refuse them per cell.
        foreach (var (column, index) in columnIndex)
            if (index < record.Fields.Length && record.Fields[index].Any(char.IsControl))
                Fail(column, record.Fields[index].Replace('\0', ' '), "Contains control characters (such as NUL or a line break).");
        if (errors.Count > before) return null;

        var email = Field("email");
        var rowErrors = new ValidationErrors();
        rowErrors.Required("email", email, "Email", 254);
        rowErrors.Email("email", email);
        foreach (var message in rowErrors.ToDictionary().Values.SelectMany(m => m)) Fail("email", email, message);

        var role = Field("role")?.ToLowerInvariant();
        if (role is null || !TenantRoles.MembershipRoles.Contains(role))
            Fail("role", Field("role"), $"Role must be one of: {string.Join(", ", TenantRoles.MembershipRoles)}.");

        var firstName = Field("firstName");
        var lastName = Field("lastName");
        if (firstName?.Length > 100) Fail("firstName", firstName, "First name must be at most 100 characters.");
        if (lastName?.Length > 100) Fail("lastName", lastName, "Last name must be at most 100 characters.");
        var department = Field("department");
        if (department?.Length > 100) Fail("department", department, "Department must be at most 100 characters.");

        string? phone = null;
        if (Field("phone") is { } phoneText)
        {
            var parsed = PhoneNumbers.Normalize(phoneText, ctx.Tenant?.DefaultCountry ?? "US");
            if (parsed.Success) phone = parsed.E164;
            else Fail("phone", phoneText, parsed.Error!);
        }
        return errors.Count > before ? null : new Candidate(record.Row, email!, firstName, lastName, role!, department, phone);
    }

    /// <summary>A new account, or null with the row's errors added (names and the initial password are needed only here).</summary>
    private async Task<AppUser?> CreateAccountAsync(Candidate candidate, string? password, List<UserImportError> errors)
    {
        var before = errors.Count;
        if (candidate.FirstName is null) errors.Add(new UserImportError(candidate.Row, "firstName", null, "First name is required for a new account."));
        if (candidate.LastName is null) errors.Add(new UserImportError(candidate.Row, "lastName", null, "Last name is required for a new account."));
        if (password is null)
            errors.Add(new UserImportError(candidate.Row, "email", candidate.Email, "No account has this email, and no initial password was given for new accounts."));
        if (errors.Count > before) return null;

        var user = new AppUser
        {
            Id = Guid.CreateVersion7(), UserName = candidate.Email, Email = candidate.Email, EmailConfirmed = true,
            FirstName = candidate.FirstName!, LastName = candidate.LastName!, CreatedAt = clock.GetUtcNow(), LockoutEnabled = true,
        };
        var result = await users.CreateAsync(user, password!);
        if (result.Succeeded) return user;
        foreach (var error in result.Errors) errors.Add(new UserImportError(candidate.Row, "email", candidate.Email, error.Description));
        return null;
    }

    private async Task<string[]> PasswordProblemsAsync(string password)
    {
        var probe = new AppUser { FirstName = "", LastName = "" };
        var problems = new List<string>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, probe, password);
            problems.AddRange(result.Errors.Select(e => e.Description));
        }
        return problems.ToArray();
    }

    private static string? Truncate(string? value) => value is { Length: > 200 } ? value[..200] + "…" : value;

    private static Outcome<UserImportResult> Invalid(string field, string message) =>
        new Outcome<UserImportResult>.Invalid(new Dictionary<string, string[]> { [field] = [message] });
}
