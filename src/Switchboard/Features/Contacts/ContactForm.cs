using System.Text.Json;
using Switchboard.Features.Contacts;
using Switchboard.Features.Accounts;
using Switchboard.Ui.Forms;

namespace Switchboard.Features.Contacts;

/// <summary>The contact form's fields as posted: emails and phones one per line, the first being the primary.</summary>
public sealed class ContactForm : ICrmForm
{
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? Title { get; set; }
    public string? Emails { get; set; }
    public string? Phones { get; set; }
    public Guid? AccountId { get; set; }
    public Guid? OwnerId { get; set; }
    public int? Version { get; set; }

    public static ContactForm From(ContactDto c) => new()
    {
        FirstName = c.FirstName, LastName = c.LastName, Title = c.Title, Emails = string.Join('\n', c.Emails),
        Phones = string.Join('\n', c.Phones), AccountId = c.AccountId, OwnerId = c.OwnerId, Version = c.Version,
    };

    /// <summary>Only what this user may change: the owner only for roles that assign, the version only on edit.</summary>
    public JsonElement ToJson(bool includeOwner, bool includeVersion)
    {
        var body = new Dictionary<string, object?>
        {
            ["firstName"] = FirstName ?? "", ["lastName"] = LastName ?? "", ["title"] = Title,
            ["emails"] = Lines(Emails), ["phones"] = Lines(Phones), ["accountId"] = AccountId,
        };
        if (includeOwner) body["ownerId"] = OwnerId;
        if (includeVersion) body["version"] = Version;
        return JsonSerializer.SerializeToElement(body);
    }

    private static string[] Lines(string? text) =>
        (text ?? "").Split(['\n', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
