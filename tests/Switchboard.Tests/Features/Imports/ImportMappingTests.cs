using Switchboard.Features.Leads;
using Switchboard.Features.CustomFields;
using Switchboard.Features.Imports;
using Switchboard.Platform.Web;

namespace Switchboard.Tests.Features.Imports;

public sealed class ImportMappingTests
{
    private static readonly CustomFieldSet Custom = new("lead",
    [
        new CustomFieldDto(Guid.NewGuid(), "lead", "annual_revenue", "Annual revenue", "currency", false, [], 1, true, 1),
    ]);

    [Fact]
    public void Columns_are_mapped_by_name_label_synonym_or_custom_field()
    {
        var mapping = ImportMapping.Suggest(LeadImport.Target,
            ["First Name", "SURNAME", "E-mail Address", "Mobile", "Organisation", "Annual Revenue", "Favourite colour"], Custom);

        mapping.ShouldBe(new Dictionary<string, string?>
        {
            ["First Name"] = "firstName", ["SURNAME"] = "lastName", ["E-mail Address"] = "email", ["Mobile"] = "phone",
            ["Organisation"] = "company", ["Annual Revenue"] = "custom.annual_revenue", ["Favourite colour"] = null,
        });
    }

    [Fact]
    public void A_field_is_suggested_for_the_first_column_that_names_it_only()
    {
        var mapping = ImportMapping.Suggest(LeadImport.Target, ["Email", "Work email"], Custom);

        (mapping["Email"], mapping["Work email"]).ShouldBe(("email", null));
    }

    [Fact]
    public void Duplicate_and_blank_headers_get_unique_names()
    {
        ImportMapping.UniqueHeader(["Email", "Email", "", "Email"]).ShouldBe(["Email", "Email (2)", "Column 3", "Email (3)"]);
    }

    [Fact]
    public void A_mapping_naming_unknown_fields_columns_or_one_field_twice_is_rejected()
    {
        var errors = new ValidationErrors();
        ImportMapping.Resolve(LeadImport.Target, ["a", "b", "c"],
            new Dictionary<string, string?> { ["a"] = "email", ["b"] = "email", ["c"] = "shoeSize", ["zz"] = "phone" }, Custom, errors);

        errors.ToDictionary()["mapping"].Length.ShouldBe(3);
    }
}
