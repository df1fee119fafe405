using Switchboard.Features.Dialer;

namespace Switchboard.Features.Users;

public sealed class NewUserForm
{
    public string? Email { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? Role { get; set; } = "agent";
    public string? Password { get; set; }
}

public sealed class IndexModel(UserService users, UserImport import, TenantContext ctx) : AppPageModel
{
    [BindProperty] public NewUserForm Form { get; set; } = new();

    public IReadOnlyList<UserDto> Members { get; private set; } = [];

    /// <summary>What the last import did, shown as a table under the import form.</summary>
    public UserImportResult? ImportResult { get; private set; }
    public string? ImportError { get; private set; }
    public Guid? CurrentUserId => ctx.UserId;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!CanManage()) return Forbid();
        return await PageAsync(ct);
    }

    public async Task<IActionResult> OnPostAddAsync(CancellationToken ct)
    {
        if (!CanManage()) return Forbid();
        var body = new UserCreate
        {
            Email = Optional.Text(Form.Email), FirstName = Optional.Text(Form.FirstName), LastName = Optional.Text(Form.LastName),
            Role = Optional.Text(Form.Role), Password = Optional.Text(Form.Password),
        };
        switch (await users.CreateAsync(body, ct))
        {
            case Outcome<UserDto>.Ok ok:
                Flash($"{ok.Value.Email} was added as {ok.Value.Role}.");
                return LocalRedirect("/users");
            case Outcome<UserDto>.Invalid invalid:
                ShowErrors(invalid.Errors);
                break;
            case Outcome<UserDto>.Conflict conflict:
                FormError = conflict.Message;
                break;
            case Outcome<UserDto>.Forbidden:
                return Forbid();
        }
        Form.Password = null;
        return await PageAsync(ct);
    }

    /// <summary>The same import as POST /api/v1/users/import; the result (or why the file was refused) shows on the page.</summary>
    public async Task<IActionResult> OnPostImportAsync(IFormFile? importFile, string? importPassword, CancellationToken ct)
    {
        if (!CanManage()) return Forbid();
        if (importFile is not { Length: > 0 }) ImportError = "Choose a CSV file to import.";
        else if (importFile.Length > UserImport.MaxBytes) ImportError = $"The file is larger than {UserImport.MaxBytes / 1024 / 1024} MB.";
        else
        {
            using var buffer = new MemoryStream((int)importFile.Length);
            await importFile.CopyToAsync(buffer, ct);
            switch (await import.ImportAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), importPassword, ct))
            {
                case Outcome<UserImportResult>.Ok ok:
                    ImportResult = ok.Value;
                    break;
                case Outcome<UserImportResult>.Invalid invalid:
                    ImportError = invalid.Summary;
                    break;
                case Outcome<UserImportResult>.Conflict conflict:
                    ImportError = conflict.Message;
                    break;
                default:
                    return Forbid();
            }
        }
        return await PageAsync(ct);
    }

    public Task<IActionResult> OnPostRoleAsync(Guid id, string role, CancellationToken ct) =>
        UpdateAsync(id, new UserUpdate { Role = Optional.Text(role) }, u => $"{u.Email} is now {u.Role}.", ct);

    public Task<IActionResult> OnPostActiveAsync(Guid id, bool active, CancellationToken ct) =>
        UpdateAsync(id, new UserUpdate { IsActive = Optional.Of<bool?>(active) },
            u => u.IsActive ? $"{u.Email} can sign in to this workspace again." : $"{u.Email} was deactivated.", ct);

    private async Task<IActionResult> UpdateAsync(Guid id, UserUpdate patch, Func<UserDto, string> message, CancellationToken ct)
    {
        if (!CanManage()) return Forbid();
        return FlashAndRedirect(await users.UpdateAsync(id, patch, ct), message, "/users");
    }

    private bool CanManage() => ctx.TenantId is not null && UserService.CanManage(ctx);

    private async Task<IActionResult> PageAsync(CancellationToken ct)
    {
        if (await users.ListAsync(ct) is Outcome<IReadOnlyList<UserDto>>.Ok ok) Members = ok.Value;
        return Page();
    }
}
