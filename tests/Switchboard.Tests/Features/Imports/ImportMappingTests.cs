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

    private static ImportChoiceColumn Status => ImportChoiceColumn.Of(ImportMapping.Resolve(LeadImport.Target, ["Lead Status"],
        new Dictionary<string, string?> { ["Lead Status"] = "status" }, Custom, new ValidationErrors())).Single();

    [Theory]
    [InlineData("Un-Qualified", "unqualified")]
    [InlineData(" QUALIFIED ", "qualified")]
    [InlineData("open", "new")]
    [InlineData("In Progress", "contacted")]
    [InlineData("attempted_to_contact", "contacted")]
    [InlineData("Open Deal", "qualified")]
    [InlineData("Closed - Not Converted", "unqualified")]
    public void Unknown_lead_statuses_are_suggested_by_option_ignoring_case_spaces_and_punctuation_then_by_synonym(string value, string expected)
    {
        ImportValueSuggestions.TrySuggest(Status, value, null, out var suggested).ShouldBeTrue();
        suggested.ShouldBe(expected);
    }

    [Fact]
    public void What_the_tenant_chose_before_wins_over_a_synonym_and_a_value_nothing_names_has_no_suggestion()
    {
        var remembered = new Dictionary<string, string?> { [ImportValueMap.Key("Open")] = "contacted", [ImportValueMap.Key("Parked")] = null };

        (ImportValueSuggestions.TrySuggest(Status, "OPEN", remembered, out var open), open).ShouldBe((true, "contacted"));
        (ImportValueSuggestions.TrySuggest(Status, "parked", remembered, out var parked), parked).ShouldBe((true, null));
        ImportValueSuggestions.TrySuggest(Status, "Converted", null, out _).ShouldBeFalse();
    }

    [Fact]
    public void Unknown_values_of_a_multi_select_column_are_counted_item_by_item_across_cells()
    {
        var custom = new CustomFieldSet("lead", [new CustomFieldDto(Guid.NewGuid(), "lead", "tags", "Tags", "multi-select", false, ["Hot", "VIP"], 1, true, 1)]);
        var tags = ImportChoiceColumn.Of(ImportMapping.Resolve(LeadImport.Target, ["Tags"], new Dictionary<string, string?> { ["Tags"] = "custom.tags" }, custom, new ValidationErrors())).Single();

        var unknown = ImportValueSuggestions.Unknown(tags, new Dictionary<string, int> { ["hot;Partner"] = 3, ["partner ; Lost"] = 2, ["VIP"] = 4 });

        unknown.ShouldBe([new ImportUnknownValue("Partner", 5), new ImportUnknownValue("Lost", 2)]);
    }
}
