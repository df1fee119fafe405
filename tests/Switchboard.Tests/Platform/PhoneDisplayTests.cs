using Switchboard.Platform.Phones;

namespace Switchboard.Tests.Platform;

public sealed class PhoneDisplayTests
{
    [Theory]
    [InlineData("+14155550134", "US", "(415) 555-0134")]
    [InlineData("+14165550134", "CA", "(416) 555-0134")]
    [InlineData("+14155550134", "GB", "+1 (415) 555-0134")]
    [InlineData("+442079460958", "US", "+44 2079460958")]
    [InlineData("+390612345678", "IT", "+39 0612345678")]
    [InlineData("", "US", "")]
    [InlineData(null, "US", "")]
    public void Stored_numbers_are_shown_in_a_readable_form(string? e164, string tenantCountry, string expected) =>
        PhoneDisplay.Format(e164, tenantCountry).ShouldBe(expected);
}
