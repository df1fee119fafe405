using Switchboard.Platform.Phones;

namespace Switchboard.Tests.Platform;

public sealed class PhoneDisplayTests
{
    [Theory]
    [InlineData("+14155550134", "US", "(415) 555-0134")]
    [InlineData("+14165550134", "CA", "(416) 555-0134")]
    [InlineData("+14155550134", "CA", "(415) 555-0134")]
    [InlineData("+14155550134", "GB", "+1 415-555-0134")]
    [InlineData("+442079460958", "US", "+44 20 7946 0958")]
    [InlineData("+442079460958", "GB", "020 7946 0958")]
    [InlineData("+390612345678", "IT", "06 1234 5678")]
    [InlineData("+390612345678", "ZZ", "+39 06 1234 5678")]
    [InlineData("4155550134", "US", "4155550134")]
    [InlineData("", "US", "")]
    [InlineData(null, "US", "")]
    public void Stored_numbers_are_shown_in_a_readable_form(string? e164, string tenantCountry, string expected) =>
        PhoneDisplay.Format(e164, tenantCountry).ShouldBe(expected);

    // libphonenumber's own test numbers (PhoneNumberUtilTest) and example numbers, formatted by the production metadata.
    [Theory]
    [InlineData("+16502530000", "US", "(650) 253-0000")]
    [InlineData("+16502530000", "DE", "+1 650-253-0000")]
    [InlineData("+18002530000", "US", "(800) 253-0000")]
    [InlineData("+442070313000", "GB", "020 7031 3000")]
    [InlineData("+447912345678", "GB", "07912 345678")]
    [InlineData("+447912345678", "US", "+44 7912 345678")]
    [InlineData("+4930123456", "DE", "030 123456")]
    [InlineData("+4930123456", "FR", "+49 30 123456")]
    [InlineData("+33123456789", "FR", "01 23 45 67 89")]
    [InlineData("+390236618300", "IT", "02 3661 8300")]
    [InlineData("+390236618300", "GB", "+39 02 3661 8300")]
    [InlineData("+61236618300", "AU", "(02) 3661 8300")]
    [InlineData("+61236618300", "US", "+61 2 3661 8300")]
    [InlineData("+81312345678", "JP", "03-1234-5678")]
    [InlineData("+819012345678", "US", "+81 90-1234-5678")]
    [InlineData("+80012345678", "US", "+800 1234 5678")]
    public void Numbers_are_shown_nationally_at_home_and_internationally_elsewhere(string e164, string tenantCountry, string expected) =>
        PhoneDisplay.Format(e164, tenantCountry).ShouldBe(expected);
}
