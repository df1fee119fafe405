namespace Switchboard.Features.Imports;

/// <summary>
/// The tenant's active members as an owner column names them: by email (any case) or by full name, compared like
/// value keys ("Ada Lovelace", "ada lovelace", "Ada  Lovelace"). A name two members share names neither.
/// </summary>
public sealed class ImportOwners(IReadOnlyDictionary<string, Guid> byEmail, IReadOnlyDictionary<string, Guid?> byName)
{
    public static readonly ImportOwners None = new(new Dictionary<string, Guid>(), new Dictionary<string, Guid?>());

    public static async Task<ImportOwners> LoadAsync(SwitchboardDbContext db, CancellationToken ct)
    {
        var members = await db.Memberships.Where(m => m.IsActive)
            .Select(m => new { m.UserId, m.User!.Email, m.User.FirstName, m.User.LastName }).ToListAsync(ct);
        var byEmail = members.Where(m => m.Email is not null)
            .GroupBy(m => m.Email!.ToLowerInvariant()).ToDictionary(g => g.Key, g => g.First().UserId);
        var byName = members.Select(m => (Key: ImportValueMap.Key($"{m.FirstName} {m.LastName}"), m.UserId)).Where(m => m.Key.Length > 0)
            .GroupBy(m => m.Key).ToDictionary(g => g.Key, g => g.Select(m => m.UserId).Distinct().Count() == 1 ? g.First().UserId : (Guid?)null);
        return new ImportOwners(byEmail, byName);
    }

    public bool TryFind(string text, out Guid owner, out string error)
    {
        error = "";
        if (text.Contains('@'))
        {
            if (byEmail.TryGetValue(text.ToLowerInvariant(), out owner)) return true;
            error = $"No active member of this tenant has the email '{ImportRowNormalizer.Clip(text)}'.";
            return false;
        }
        owner = Guid.Empty;
        if (byName.TryGetValue(ImportValueMap.Key(text), out var named))
        {
            if (named is { } id)
            {
                owner = id;
                return true;
            }
            error = $"More than one member is named '{ImportRowNormalizer.Clip(text)}': use the owner's email.";
            return false;
        }
        error = $"No active member of this tenant has the email or name '{ImportRowNormalizer.Clip(text)}'.";
        return false;
    }
}
