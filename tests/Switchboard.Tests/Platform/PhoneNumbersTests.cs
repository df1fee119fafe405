using Shouldly;
using Switchboard.Platform.Phones;
using Xunit;

namespace Switchboard.Tests.Platform;

public sealed class PhoneNumbersTests
{
    private static PhoneParseResult Valid(string e164) => new(true, e164, null);

    [Theory]
    [InlineData("(415) 555-0123")]
    [InlineData("415.555.0123")]
    [InlineData("415-555-0123")]
    [InlineData("4155550123")]
    [InlineData("  415 555 0123  ")]
    [InlineData("1-415-555-0123")]
    [InlineData("1 (415) 555-0123")]
    [InlineData("+1 415 555 0123")]
    [InlineData("+1 (415) 555-0123")]
    [InlineData("0014155550123")]
    [InlineData("011 1 415 555 0123")]
    [InlineData("415\u2013555\u20130123")]
    [InlineData("415\u00a0555\u00a00123")]
    [InlineData("\uff14\uff11\uff15 \uff15\uff15\uff15 \uff10\uff11\uff12\uff13")]
    public void Us_number_written_any_common_way_normalizes_to_e164(string input)
    {
        PhoneNumbers.Normalize(input, "US").ShouldBe(Valid("+14155550123"));
    }

    [Theory]
    [InlineData("(212) 555-0100", "+12125550100")]
    [InlineData("212-555-0199", "+12125550199")]
    [InlineData("+1 800 555 0150", "+18005550150")]
    public void Fictional_555_01xx_numbers_are_accepted(string input, string expected)
    {
        PhoneNumbers.Normalize(input, "US").ShouldBe(Valid(expected));
    }

    [Theory]
    [InlineData("020 7946 0958", "+442079460958")]
    [InlineData("+44 20 7946 0958", "+442079460958")]
    [InlineData("+44 (0)20 7946 0958", "+442079460958")]
    [InlineData("+44(0)2079460958", "+442079460958")]
    [InlineData("+44 ( 0 ) 20 7946 0958", "+442079460958")]
    [InlineData("0044 20 7946 0958", "+442079460958")]
    [InlineData("07912 345678", "+447912345678")]
    [InlineData("+44 7912 345678", "+447912345678")]
    [InlineData("+44 07912 345678", "+447912345678")]
    [InlineData("447912345678", "+447912345678")]
    [InlineData("0161 496 0000", "+441614960000")]
    public void Uk_numbers_normalize_with_the_trunk_zero_dropped(string input, string expected)
    {
        PhoneNumbers.Normalize(input, "GB").ShouldBe(Valid(expected));
    }

    [Theory]
    [InlineData("030 123456", "+4930123456")]
    [InlineData("030 12345678", "+493012345678")]
    [InlineData("+49 30 12345678", "+493012345678")]
    [InlineData("+49 (0)30 1234567", "+49301234567")]
    [InlineData("+49 030 123456", "+4930123456")]
    [InlineData("089/1234567", "+49891234567")]
    [InlineData("0151 23456789", "+4915123456789")]
    public void German_numbers_normalize(string input, string expected)
    {
        PhoneNumbers.Normalize(input, "DE").ShouldBe(Valid(expected));
    }

    [Theory]
    [InlineData("01 23 45 67 89", "+33123456789")]
    [InlineData("01.23.45.67.89", "+33123456789")]
    [InlineData("06 12 34 56 78", "+33612345678")]
    [InlineData("+33 (0)1 23 45 67 89", "+33123456789")]
    [InlineData("+33 1 23 45 67 89", "+33123456789")]
    public void French_numbers_normalize(string input, string expected)
    {
        PhoneNumbers.Normalize(input, "FR").ShouldBe(Valid(expected));
    }

    [Theory]
    [InlineData("06 1234 5678", "+390612345678")]
    [InlineData("02 1234 5678", "+390212345678")]
    [InlineData("+39 06 1234 5678", "+390612345678")]
    [InlineData("+39 (0)6 1234 5678", "+390612345678")]
    [InlineData("333 123 4567", "+393331234567")]
    public void Italian_landlines_keep_their_leading_zero(string input, string expected)
    {
        PhoneNumbers.Normalize(input, "IT").ShouldBe(Valid(expected));
    }

    [Theory]
    [InlineData("0412 345 678", "AU", "+61412345678")]
    [InlineData("+61 412 345 678", "AU", "+61412345678")]
    [InlineData("(02) 9876 5432", "AU", "+61298765432")]
    [InlineData("021 123 4567", "NZ", "+64211234567")]
    [InlineData("8 (495) 123-45-67", "RU", "+74951234567")]
    [InlineData("8 800 123-45-67", "RU", "+78001234567")]
    [InlineData("800 123 45 67", "RU", "+78001234567")]
    [InlineData("06 30 123 4567", "HU", "+36301234567")]
    [InlineData("090-1234-5678", "JP", "+819012345678")]
    [InlineData("138 0013 8000", "CN", "+8613800138000")]
    [InlineData("(11) 91234-5678", "BR", "+5511912345678")]
    [InlineData("+54 9 11 1234 5678", "AR", "+5491112345678")]
    [InlineData("06 12345678", "NL", "+31612345678")]
    [InlineData("0470 12 34 56", "BE", "+32470123456")]
    [InlineData("612 34 56 78", "ES", "+34612345678")]
    [InlineData("087 123 4567", "IE", "+353871234567")]
    [InlineData("0803 123 4567", "NG", "+2348031234567")]
    [InlineData("(604) 555-0123", "CA", "+16045550123")]
    public void Mobile_and_special_numbers_normalize(string input, string country, string expected)
    {
        PhoneNumbers.Normalize(input, country).ShouldBe(Valid(expected));
    }

    [Theory]
    [InlineData("US", "(415) 555-0123", "+14155550123")]
    [InlineData("CA", "(604) 555-0123", "+16045550123")]
    [InlineData("JM", "(876) 555-0123", "+18765550123")]
    [InlineData("PR", "(787) 555-0123", "+17875550123")]
    [InlineData("GB", "020 7946 0958", "+442079460958")]
    [InlineData("IE", "01 234 5678", "+35312345678")]
    [InlineData("DE", "030 12345678", "+493012345678")]
    [InlineData("FR", "01 23 45 67 89", "+33123456789")]
    [InlineData("ES", "912 345 678", "+34912345678")]
    [InlineData("IT", "06 1234 5678", "+390612345678")]
    [InlineData("PT", "212 345 678", "+351212345678")]
    [InlineData("NL", "020 123 4567", "+31201234567")]
    [InlineData("BE", "012 34 56 78", "+3212345678")]
    [InlineData("LU", "27 12 34 56", "+35227123456")]
    [InlineData("CH", "044 668 18 00", "+41446681800")]
    [InlineData("AT", "01 234 5678", "+4312345678")]
    [InlineData("DK", "32 12 34 56", "+4532123456")]
    [InlineData("SE", "08 123 456 78", "+46812345678")]
    [InlineData("NO", "22 12 34 56", "+4722123456")]
    [InlineData("FI", "09 123 4567", "+35891234567")]
    [InlineData("IS", "512 3456", "+3545123456")]
    [InlineData("PL", "22 123 45 67", "+48221234567")]
    [InlineData("CZ", "212 345 678", "+420212345678")]
    [InlineData("SK", "02 212 345 67", "+421221234567")]
    [InlineData("HU", "06 1 234 5678", "+3612345678")]
    [InlineData("RO", "021 123 4567", "+40211234567")]
    [InlineData("BG", "02 123 4567", "+35921234567")]
    [InlineData("GR", "21 0123 4567", "+302101234567")]
    [InlineData("TR", "0212 123 45 67", "+902121234567")]
    [InlineData("RU", "8 (495) 123-45-67", "+74951234567")]
    [InlineData("KZ", "8 (71234) 5 67 89", "+77123456789")]
    [InlineData("UA", "044 123 4567", "+380441234567")]
    [InlineData("IL", "03-123-4567", "+97231234567")]
    [InlineData("AE", "02 234 5678", "+97122345678")]
    [InlineData("SA", "011 123 4567", "+966111234567")]
    [InlineData("EG", "02 1234 5678", "+20212345678")]
    [InlineData("ZA", "021 123 4567", "+27211234567")]
    [InlineData("NG", "02033 12 3456", "+2342033123456")]
    [InlineData("KE", "0712 345678", "+254712345678")]
    [InlineData("MA", "0522 123456", "+212522123456")]
    [InlineData("IN", "098765 43210", "+919876543210")]
    [InlineData("PK", "(021) 23456789", "+922123456789")]
    [InlineData("BD", "02 912 3456", "+88029123456")]
    [InlineData("CN", "010 1234 5678", "+861012345678")]
    [InlineData("HK", "2123 4567", "+85221234567")]
    [InlineData("TW", "02 2123 4567", "+886221234567")]
    [InlineData("JP", "03-1234-5678", "+81312345678")]
    [InlineData("KR", "02-123-4567", "+8221234567")]
    [InlineData("SG", "6123 4567", "+6561234567")]
    [InlineData("MY", "03-2385 6789", "+60323856789")]
    [InlineData("TH", "02 123 4567", "+6621234567")]
    [InlineData("VN", "0210 1234 567", "+842101234567")]
    [InlineData("ID", "021 1234 5678", "+622112345678")]
    [InlineData("PH", "(02) 3234 5678", "+63232345678")]
    [InlineData("AU", "(02) 9876 5432", "+61298765432")]
    [InlineData("NZ", "03 234 5678", "+6432345678")]
    [InlineData("MX", "55 1234 5678", "+525512345678")]
    [InlineData("BR", "(11) 3123-4567", "+551131234567")]
    [InlineData("AR", "011 4123-4567", "+541141234567")]
    [InlineData("CL", "2 2123 4567", "+56221234567")]
    [InlineData("CO", "601 234 5678", "+576012345678")]
    [InlineData("PE", "01 234 5678", "+5112345678")]
    public void A_national_number_in_each_supported_country_normalizes_and_maps_back_to_that_country(
        string country, string input, string expected)
    {
        PhoneNumbers.IsValidCountry(country).ShouldBeTrue();
        PhoneNumbers.Normalize(input, country).ShouldBe(Valid(expected));
        PhoneNumbers.RegionOf(expected).ShouldBe(country);
    }

    [Theory]
    [InlineData("+44 20 7946 0958", "US", "+442079460958")]
    [InlineData("011 44 20 7946 0958", "US", "+442079460958")]
    [InlineData("00 33 1 23 45 67 89", "DE", "+33123456789")]
    [InlineData("+1 415 555 0123", "GB", "+14155550123")]
    [InlineData("+44 20 7946 0958", "ZZ", "+442079460958")]
    [InlineData("+998 90 123 45 67", "US", "+998901234567")]
    [InlineData("+683 4002", "US", "+6834002")]
    [InlineData("+800 1234 5678", "US", "+80012345678")]
    public void International_input_ignores_the_default_country(string input, string defaultCountry, string expected)
    {
        PhoneNumbers.Normalize(input, defaultCountry).ShouldBe(Valid(expected));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public void Empty_input_is_reported_as_empty(string? input)
    {
        PhoneNumbers.Normalize(input, "US").ShouldBe(new PhoneParseResult(false, null, "Phone number is empty."));
    }

    [Theory]
    [InlineData("12", "US")]
    [InlineData("555-0123", "US")]
    [InlineData("415 555 01234", "US")]
    [InlineData("1 415 555 01234", "US")]
    [InlineData("(015) 555-0123", "US")]
    [InlineData("(115) 555-0123", "US")]
    [InlineData("415 155 0123", "US")]
    [InlineData("415 055 0123", "US")]
    [InlineData("+1 055 555 0123", "US")]
    [InlineData("+1 415 555 01234", "US")]
    [InlineData("+1", "US")]
    [InlineData("020 79", "GB")]
    [InlineData("020 7946 0958 12", "GB")]
    [InlineData("0", "GB")]
    [InlineData("0123456", "GB")]
    [InlineData("+33 012345678", "FR")]
    [InlineData("+44 0", "GB")]
    [InlineData("011 44 20 7946 0958", "GB")]
    [InlineData("01 23 45 67 89 0", "FR")]
    [InlineData("01 23 45 67", "FR")]
    [InlineData("06", "IT")]
    [InlineData("04 12", "AU")]
    [InlineData("+61 0412", "AU")]
    [InlineData("8 495 123 45", "RU")]
    [InlineData("+683 400", "US")]
    [InlineData("+", "US")]
    [InlineData("()-.", "US")]
    public void Numbers_of_the_wrong_shape_are_rejected(string input, string country)
    {
        var result = PhoneNumbers.Normalize(input, country);

        result.Success.ShouldBeFalse();
        result.E164.ShouldBeNull();
        result.Error.ShouldNotBeNullOrWhiteSpace();
        result.Error.ShouldStartWith($"'{input}' is not a valid phone number");
    }

    [Fact]
    public void A_too_short_national_number_names_the_country()
    {
        PhoneNumbers.Normalize("12", "US").Error.ShouldBe("'12' is not a valid phone number for US.");
    }

    [Fact]
    public void A_bad_nanp_area_code_names_the_calling_code()
    {
        PhoneNumbers.Normalize("+1 055 555 0123", "GB").Error
            .ShouldBe("'+1 055 555 0123' is not a valid phone number for +1.");
    }

    [Theory]
    [InlineData("+999123")]
    [InlineData("00999123")]
    [InlineData("+28 1234 5678")]
    public void Unknown_calling_codes_are_rejected(string input)
    {
        PhoneNumbers.Normalize(input, "US").ShouldBe(
            new PhoneParseResult(false, null, $"Unknown country calling code in '{input}'."));
    }

    [Fact]
    public void More_than_fifteen_international_digits_are_rejected()
    {
        var result = PhoneNumbers.Normalize("+44 1234 5678 9012 34", "GB");

        result.Success.ShouldBeFalse();
        result.Error.ShouldBe("'+44 1234 5678 9012 34' is not a valid phone number: it has more than 15 digits.");
    }

    [Theory]
    [InlineData("1-800-FLOWERS")]
    [InlineData("four one five")]
    [InlineData("tel:+14155550123")]
    public void Letters_are_rejected(string input)
    {
        PhoneNumbers.Normalize(input, "US").Error
            .ShouldBe($"'{input}' is not a valid phone number: it contains letters.");
    }

    [Theory]
    [InlineData("415*555*0123", '*')]
    [InlineData("++1 415 555 0123", '+')]
    [InlineData("415 555 0123 +", '+')]
    [InlineData("415_555_0123", '_')]
    public void Other_symbols_are_rejected_by_name(string input, char symbol)
    {
        PhoneNumbers.Normalize(input, "US").Error
            .ShouldBe($"'{input}' is not a valid phone number: it contains '{symbol}'.");
    }

    [Theory]
    [InlineData("415-555-0123 ext. 12")]
    [InlineData("415-555-0123 ext 12")]
    [InlineData("415-555-0123 extension 12")]
    [InlineData("415-555-0123 x12")]
    [InlineData("415-555-0123x12")]
    [InlineData("415-555-0123 #12")]
    [InlineData("+14155550123;ext=12")]
    public void Extensions_are_rejected_with_a_clear_message(string input)
    {
        PhoneNumbers.Normalize(input, "US").ShouldBe(
            new PhoneParseResult(false, null, $"'{input}' has an extension; enter the number without it."));
    }

    [Fact]
    public void A_parenthesized_zero_inside_the_number_is_rejected()
    {
        PhoneNumbers.Normalize("+44 20 7946 (0) 958", "GB").Error
            .ShouldBe("'+44 20 7946 (0) 958' is not a valid phone number: '(0)' may only follow the country code.");
    }

    [Theory]
    [InlineData("ZZ")]
    [InlineData("AQ")]
    [InlineData("USA")]
    [InlineData("")]
    public void A_national_number_for_an_unsupported_country_asks_for_the_country_code(string country)
    {
        var result = PhoneNumbers.Normalize("415 555 0123", country);

        result.Success.ShouldBeFalse();
        result.Error.ShouldBe(
            $"Country '{country}' is not supported for national numbers; enter the number with its +countrycode.");
    }

    [Fact]
    public void Long_input_is_shortened_in_the_error_message()
    {
        var input = "415-555-0123 " + new string('*', 200);

        var error = PhoneNumbers.Normalize(input, "US").Error;

        error.ShouldNotBeNull();
        error.Length.ShouldBeLessThan(100);
        error.ShouldStartWith("'415-555-0123 ****");
    }

    [Theory]
    [InlineData("US", true)]
    [InlineData("us", true)]
    [InlineData(" GB ", true)]
    [InlineData("IT", true)]
    [InlineData("JM", true)]
    [InlineData("KZ", true)]
    [InlineData("XK", true)]
    [InlineData("UZ", true)]
    [InlineData("ZZ", false)]
    [InlineData("AQ", false)]
    [InlineData("001", false)]
    [InlineData("USA", false)]
    [InlineData("", false)]
    public void IsValidCountry_knows_every_country_with_a_numbering_plan(string country, bool expected)
    {
        PhoneNumbers.IsValidCountry(country).ShouldBe(expected);
    }

    [Theory]
    [InlineData("(415) 555-0123", "4155550123")]
    [InlineData("+44 (0)20 7946 0958", "4402079460958")]
    [InlineData("415-555-0123 ext. 12", "415555012312")]
    [InlineData("\uff14\uff11\uff15", "415")]
    [InlineData("no digits", "")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Digits_keeps_only_the_digits(string? input, string expected)
    {
        PhoneNumbers.Digits(input).ShouldBe(expected);
    }

    [Theory]
    [InlineData("+14155550123", "US")]
    [InlineData("+12125550199", "US")]
    [InlineData("+16045550123", "CA")]
    [InlineData("+14165550123", "CA")]
    [InlineData("+15145550123", "CA")]
    [InlineData("+18765550123", "JM")]
    [InlineData("+17875550123", "PR")]
    [InlineData("+18095550123", "DO")]
    [InlineData("+12425550123", "BS")]
    [InlineData("+442079460958", "GB")]
    [InlineData("+390612345678", "IT")]
    [InlineData("+74951234567", "RU")]
    [InlineData("+77011234567", "KZ")]
    [InlineData("+61412345678", "AU")]
    [InlineData("+8613800138000", "CN")]
    [InlineData("+85221234567", "HK")]
    [InlineData("+998901234567", "UZ")]
    [InlineData("+1", "US")]
    public void RegionOf_finds_the_country_of_an_e164_number(string e164, string expected)
    {
        PhoneNumbers.RegionOf(e164).ShouldBe(expected);
    }

    [Theory]
    [InlineData("+80012345678")]
    [InlineData("+882123456789")]
    [InlineData("+999123")]
    [InlineData("4155550123")]
    [InlineData("+")]
    [InlineData("")]
    public void RegionOf_has_no_answer_for_non_geographic_unknown_or_non_e164_input(string e164)
    {
        PhoneNumbers.RegionOf(e164).ShouldBeNull();
    }

    // Numbers from libphonenumber's own tests (PhoneNumberUtilTest: US_NUMBER, US_TOLLFREE, US_PREMIUM, GB_NUMBER,
    // GB_MOBILE, DE_NUMBER, IT_NUMBER, IT_MOBILE, AU_NUMBER, NZ_NUMBER, SG_NUMBER, AR_MOBILE, UZ_FIXED_LINE, BS_NUMBER)
    // and its metadata's example numbers for France and Japan, with what the production metadata makes of them.

    [Theory]
    [InlineData("US", "(650) 253-0000", "+16502530000")]
    [InlineData("US", "800 253 0000", "+18002530000")]
    [InlineData("US", "900 253 0000", "+19002530000")]
    [InlineData("BS", "(242) 365-1234", "+12423651234")]
    [InlineData("GB", "020 7031 3000", "+442070313000")]
    [InlineData("GB", "07912 345678", "+447912345678")]
    [InlineData("DE", "030 123456", "+4930123456")]
    [InlineData("FR", "01 23 45 67 89", "+33123456789")]
    [InlineData("FR", "06 12 34 56 78", "+33612345678")]
    [InlineData("IT", "02 3661 8300", "+390236618300")]
    [InlineData("IT", "345 678 901", "+39345678901")]
    [InlineData("AU", "(02) 3661 8300", "+61236618300")]
    [InlineData("JP", "03-1234-5678", "+81312345678")]
    [InlineData("JP", "090-1234-5678", "+819012345678")]
    [InlineData("NZ", "03 331 6005", "+6433316005")]
    [InlineData("SG", "6521 8000", "+6565218000")]
    [InlineData("AR", "011 15-8765-4321", "+5491187654321")]
    [InlineData("UZ", "61 220 12 34", "+998612201234")]
    public void Numbers_from_libphonenumbers_own_tests_normalize_in_their_country(string country, string input, string expected)
    {
        PhoneNumbers.Normalize(input, country).ShouldBe(Valid(expected));
        PhoneNumbers.Normalize(expected, "US").ShouldBe(Valid(expected));
        PhoneNumbers.RegionOf(expected).ShouldBe(country);
    }

    [Theory]
    [InlineData("+1 650 253 00001")]
    [InlineData("+1 650 253 000")]
    [InlineData("+49 1234")]
    [InlineData("+800 1234 56789")]
    [InlineData("+1 000 000 0000")]
    public void Numbers_libphonenumbers_own_tests_call_invalid_are_rejected(string input)
    {
        PhoneNumbers.Normalize(input, "US").Success.ShouldBeFalse();
    }

    [Fact]
    public void A_us_local_number_without_its_area_code_is_rejected()
    {
        PhoneNumbers.Normalize("253-0000", "US").Error.ShouldBe("'253-0000' is not a valid phone number for US.");
    }

    [Theory]
    [InlineData("07700 900123", "GB")]
    [InlineData("02 123 45 67", "BE")]
    [InlineData("09 123 4567", "NZ")]
    public void A_number_of_the_right_length_in_an_unassigned_range_is_rejected(string input, string country)
    {
        PhoneNumbers.Normalize(input, country).Error.ShouldBe($"'{input}' is not a valid phone number for {country}.");
    }
}
