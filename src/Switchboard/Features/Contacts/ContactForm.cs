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
    public Dictionary<string, string[]> Custom { get; set; } = new(StringComparer.Ordinal);

    public static ContactForm From(ContactDto c) => new()
    {
        FirstName = c.FirstName, LastName = c.LastName, Title = c.Title, Emails = string.Join('\n', c.Emails),
        Phones = string.Join('\n', c.Phones), AccountId = c.AccountId, OwnerId = c.OwnerId, Version = c.Version, Custom = CustomFieldForm.FromJson(c.Custom),
    };

    public Dictionary<string, object?> Body() => new()
    {
        ["firstName"] = FirstName ?? "", ["lastName"] = LastName ?? "", ["title"] = Title,
        ["emails"] = Lines(Emails), ["phones"] = Lines(Phones), ["accountId"] = AccountId,
    };

    private static string[] Lines(string? text) =>
        (text ?? "").Split(['\n', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
