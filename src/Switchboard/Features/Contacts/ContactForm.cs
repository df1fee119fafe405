using Switchboard.Features.Accounts;

namespace Switchboard.Features.Contacts;

/// <summary>The contact form's fields as posted: emails and phones one per line, the first being the primary.</summary>
public sealed class ContactForm : ICrmForm<ContactWrite>
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

    public ContactWrite Body() => new()
    {
        FirstName = Optional.Text(FirstName), LastName = Optional.Text(LastName), Title = Optional.Text(Title),
        Emails = Optional.Of<IReadOnlyList<string>?>(Lines(Emails)), Phones = Optional.Of<IReadOnlyList<string>?>(Lines(Phones)),
        AccountId = Optional.Of(AccountId),
    };

    private static string[] Lines(string? text) =>
        (text ?? "").Split(['\n', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
