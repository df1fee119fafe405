namespace Switchboard.Features.Accounts;

/// <summary>The account form's fields as posted; becomes the body the account service takes, as the API would.</summary>
public sealed class AccountForm : ICrmForm<AccountWrite>
{
    public string? Name { get; set; }
    public string? Domain { get; set; }
    public string? Industry { get; set; }
    public string? Size { get; set; }
    public string? Phone { get; set; }
    public string? Street { get; set; }
    public string? City { get; set; }
    public string? Region { get; set; }
    public string? PostalCode { get; set; }
    public string? Country { get; set; }
    public Guid? OwnerId { get; set; }
    public int? Version { get; set; }
    public Dictionary<string, string[]> Custom { get; set; } = new(StringComparer.Ordinal);

    public static AccountForm From(AccountDto a) => new()
    {
        Name = a.Name, Domain = a.Domain, Industry = a.Industry, Size = a.Size, Phone = a.Phone, Street = a.Street,
        City = a.City, Region = a.Region, PostalCode = a.PostalCode, Country = a.Country, OwnerId = a.OwnerId, Version = a.Version, Custom = CustomFieldForm.FromJson(a.Custom),
    };

    public AccountWrite Body() => new()
    {
        Name = Optional.Text(Name), Domain = Optional.Text(Domain), Industry = Optional.Text(Industry), Size = Optional.Text(Size),
        Phone = Optional.Text(Phone), Street = Optional.Text(Street), City = Optional.Text(City), Region = Optional.Text(Region),
        PostalCode = Optional.Text(PostalCode), Country = Optional.Text(Country),
    };
}
