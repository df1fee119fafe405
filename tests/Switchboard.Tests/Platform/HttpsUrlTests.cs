using Switchboard.Platform.Web;

namespace Switchboard.Tests.Platform;

public sealed class HttpsUrlTests
{
    [Theory]
    [InlineData("https://www.linkedin.com/in/ada-lovelace")]
    [InlineData("https://example.com")]
    [InlineData("https://example.com/path?q=1#top")]
    public void An_absolute_https_url_with_a_dotted_host_is_accepted(string url) => ValidationErrors.IsHttpsUrl(url).ShouldBeTrue();

    [Theory]
    [InlineData("http://www.linkedin.com/in/ada")]
    [InlineData("www.linkedin.com/in/ada")]
    [InlineData("https://localhost/in/ada")]
    [InlineData("https://exa mple.com")]
    [InlineData("javascript:alert(1)")]
    [InlineData("ftp://example.com/file")]
    public void Anything_else_is_refused(string url) => ValidationErrors.IsHttpsUrl(url).ShouldBeFalse();

    [Fact]
    public void The_error_names_the_field_and_the_expected_shape()
    {
        var errors = new ValidationErrors();
        errors.HttpsUrl("linkedinUrl", "linkedin.com/in/ada", "LinkedIn URL");
        errors.ToDictionary()["linkedinUrl"].ShouldBe(["'linkedin.com/in/ada' is not an https URL such as https://example.com/path."]);
    }
}
