using System.Text.Json;
using Switchboard.Features.CustomFields;
using Switchboard.Platform.Web;

namespace Switchboard.Tests.Features.CustomFields;

/// <summary>The synchronous per-value checks an import runs row by row, and the merge rules of a write.</summary>
public sealed class CustomFieldSetTests
{
    private static CustomFieldDto Field(string key, string type, bool required = false, bool active = true, params string[] options) =>
        new(Guid.NewGuid(), "lead", key, char.ToUpperInvariant(key[0]) + key[1..], type, required, options, 0, active, 1);

    private static (bool Ok, string? Json, string Error) Normalize(CustomFieldDto field, string json)
    {
        var ok = CustomFieldSet.TryNormalize(field, JsonDocument.Parse(json).RootElement, out var value, out var error);
        return (ok, value?.ToJsonString(), error);
    }

    [Theory]
    [InlineData("42", "42")]
    [InlineData("\"3.5\"", "3.5")]
    [InlineData("\" -7 \"", "-7")]
    public void Number_accepts_json_numbers_and_invariant_numeric_strings(string input, string stored) =>
        Normalize(Field("score", CustomFieldTypes.Number), input).ShouldBe((true, stored, ""));

    [Theory]
    [InlineData("\"3,5\"")]
    [InlineData("\"abc\"")]
    [InlineData("true")]
    public void Number_rejects_non_numbers_and_culture_formats(string input) =>
        Normalize(Field("score", CustomFieldTypes.Number), input).Ok.ShouldBeFalse();

    [Theory]
    [InlineData("1250.5", true, "1250.5")]
    [InlineData("\"99.99\"", true, "99.99")]
    [InlineData("10.125", false, null)]
    public void Currency_is_a_decimal_with_at_most_two_places(string input, bool ok, string? stored)
    {
        var result = Normalize(Field("budget", CustomFieldTypes.Currency), input);
        result.Ok.ShouldBe(ok);
        if (ok) decimal.Parse(result.Json!, System.Globalization.CultureInfo.InvariantCulture).ShouldBe(decimal.Parse(stored!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("\"2026-03-31\"", true)]
    [InlineData("\"2026-02-30\"", false)]
    [InlineData("\"03/31/2026\"", false)]
    [InlineData("20260331", false)]
    public void Date_is_an_iso_calendar_date(string input, bool ok) =>
        Normalize(Field("renewal", CustomFieldTypes.Date), input).Ok.ShouldBe(ok);

    [Theory]
    [InlineData("true", "true")]
    [InlineData("false", "false")]
    [InlineData("\"yes\"", "true")]
    [InlineData("\"No\"", "false")]
    [InlineData("\"1\"", "true")]
    [InlineData("\"0\"", "false")]
    public void Boolean_accepts_import_spellings(string input, string stored) =>
        Normalize(Field("vip", CustomFieldTypes.Boolean), input).ShouldBe((true, stored, ""));

    [Fact]
    public void Boolean_rejects_other_text() =>
        Normalize(Field("vip", CustomFieldTypes.Boolean), "\"maybe\"").Ok.ShouldBeFalse();

    [Fact]
    public void Single_select_matches_case_insensitively_and_stores_the_options_spelling() =>
        Normalize(Field("tier", CustomFieldTypes.SingleSelect, options: ["Gold", "Silver"]), "\"gOLD\"").ShouldBe((true, "\"Gold\"", ""));

    [Fact]
    public void Single_select_rejects_a_value_that_is_not_an_option()
    {
        var result = Normalize(Field("tier", CustomFieldTypes.SingleSelect, options: ["Gold", "Silver"]), "\"Bronze\"");
        result.Ok.ShouldBeFalse();
        result.Error.ShouldContain("Gold, Silver");
    }

    [Theory]
    [InlineData("[\"email\", \"PHONE\"]")]
    [InlineData("\"phone; Email\"")]
    public void Multi_select_takes_an_array_or_a_semicolon_list_in_option_order(string input) =>
        Normalize(Field("channels", CustomFieldTypes.MultiSelect, options: ["Email", "Phone", "Post"]), input).ShouldBe((true, "[\"Email\",\"Phone\"]", ""));

    [Fact]
    public void Multi_select_rejects_an_unknown_choice() =>
        Normalize(Field("channels", CustomFieldTypes.MultiSelect, options: ["Email"]), "\"Email;Fax\"").Ok.ShouldBeFalse();

    [Fact]
    public void Blank_text_means_no_value() =>
        Normalize(Field("nickname", CustomFieldTypes.Text), "\"   \"").ShouldBe((true, null, ""));

    [Fact]
    public void Create_without_a_required_field_names_it()
    {
        var set = new CustomFieldSet("lead", [Field("region", CustomFieldTypes.Text, required: true)]);
        var errors = new ValidationErrors();

        set.Validate(Json("{}"), null, isCreate: true, errors).ShouldBeNull();

        errors.ToDictionary().Keys.ShouldBe(["custom.region"]);
    }

    [Fact]
    public void Unknown_key_is_an_error() 
    {
        var set = new CustomFieldSet("lead", [Field("region", CustomFieldTypes.Text)]);
        var errors = new ValidationErrors();

        set.Validate(Json("""{"colour":"red"}"""), null, isCreate: false, errors).ShouldBeNull();

        errors.ToDictionary().Keys.ShouldBe(["custom.colour"]);
    }

    [Fact]
    public void Merge_keeps_other_keys_and_null_removes_one()
    {
        var set = new CustomFieldSet("lead", [Field("region", CustomFieldTypes.Text), Field("score", CustomFieldTypes.Number), Field("vip", CustomFieldTypes.Boolean)]);

        var merged = set.Validate(Json("""{"score":"7","vip":null}"""), Json("""{"region":"North","vip":true}"""), isCreate: false, new ValidationErrors());

        JsonElement.DeepEquals(merged!.RootElement, Json("""{"region":"North","score":7}""")).ShouldBeTrue();
    }

    [Fact]
    public void A_required_field_cannot_be_cleared_on_update()
    {
        var set = new CustomFieldSet("lead", [Field("region", CustomFieldTypes.Text, required: true)]);
        var errors = new ValidationErrors();

        set.Validate(Json("""{"region":null}"""), Json("""{"region":"North"}"""), isCreate: false, errors).ShouldBeNull();

        errors.ToDictionary().Keys.ShouldBe(["custom.region"]);
    }

    [Fact]
    public void A_retired_field_keeps_its_value_is_not_required_and_cannot_be_set()
    {
        var set = new CustomFieldSet("lead", [Field("legacy", CustomFieldTypes.Text, required: true, active: false)]);

        var kept = set.Validate(Json("{}"), Json("""{"legacy":"old"}"""), isCreate: true, new ValidationErrors());
        var errors = new ValidationErrors();
        var written = set.Validate(Json("""{"legacy":"new"}"""), null, isCreate: false, errors);

        JsonElement.DeepEquals(kept!.RootElement, Json("""{"legacy":"old"}""")).ShouldBeTrue();
        written.ShouldBeNull();
        errors.ToDictionary().Keys.ShouldBe(["custom.legacy"]);
    }

    [Fact]
    public void A_value_sent_back_unchanged_is_kept_even_if_its_option_was_removed()
    {
        var set = new CustomFieldSet("lead", [Field("tier", CustomFieldTypes.SingleSelect, options: ["Gold"])]);

        var merged = set.Validate(Json("""{"tier":"Bronze"}"""), Json("""{"tier":"Bronze"}"""), isCreate: false, new ValidationErrors());

        JsonElement.DeepEquals(merged!.RootElement, Json("""{"tier":"Bronze"}""")).ShouldBeTrue();
    }

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;
}
