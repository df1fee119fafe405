using System.Collections.Frozen;

namespace Switchboard.Features.Calls.Compliance;

/// <summary>The IANA time zone of every geographic area code of the North American Numbering Plan (+1).</summary>
/// <remarks>
/// <para>
/// One zone per set of current rules: all of US Eastern time is America/New_York (Michigan's America/Detroit and
/// Indiana's zones differ from it only before 2007), southern Idaho is America/Denver, the Maritimes are
/// America/Halifax. Calling hours depend on today's rules only, and fewer distinct ids keep the table checkable.
/// </para>
/// <para>
/// Where an area code spans two zones it gets the zone most of its people live in, and a comment names the
/// minority: a number cannot tell us which side of the line a lead is on, so those leads need their own zone set.
/// Overlays (a second code for the same area) sit beside their parent code.
/// </para>
/// <para>
/// Non-geographic codes are absent on purpose, so they have no zone: toll-free (800, 833, 844, 855, 866, 877, 888),
/// personal communications (500, 533, 544, 566, 577, 588), premium (900), Canada's 600 and 622, US government 710.
/// </para>
/// </remarks>
internal static class NanpAreaCodeZones
{
    private const string Eastern = "America/New_York";
    private const string Central = "America/Chicago";
    private const string Mountain = "America/Denver";
    private const string Arizona = "America/Phoenix";
    private const string Pacific = "America/Los_Angeles";

    private static readonly FrozenDictionary<string, string> ZonesByAreaCode = Build(
        (Eastern, "Connecticut", "203 475 860 959"),
        (Eastern, "Delaware", "302"),
        (Eastern, "District of Columbia", "202 771"),
        (Eastern, "Florida", "239 305 321 324 352 386 407 561 645 656 689 727 728 754 772 786 813 863 904 941 954"),
        (Eastern, "Georgia", "229 404 470 478 678 706 762 770 912 943"),
        // 812/930: Evansville and the south-western corner keep Central time; most of the area (Bloomington,
        // Columbus, the Louisville suburbs, Terre Haute) is Eastern.
        (Eastern, "Indiana", "260 317 463 574 765 812 930"),
        (Eastern, "Kentucky", "502 606 859"),
        (Eastern, "Maine", "207"),
        (Eastern, "Maryland", "227 240 301 410 443 667"),
        (Eastern, "Massachusetts", "339 351 413 508 617 774 781 857 978"),
        // 906: the four Upper Peninsula counties bordering Wisconsin (Iron Mountain, Menominee) keep Central time.
        (Eastern, "Michigan", "231 248 269 313 517 586 616 679 734 810 906 947 989"),
        (Eastern, "New Hampshire", "603"),
        (Eastern, "New Jersey", "201 551 609 640 732 848 856 862 908 973"),
        (Eastern, "New York", "212 315 329 332 347 363 516 518 585 607 624 631 646 680 716 718 838 845 914 917 929 934"),
        (Eastern, "North Carolina", "252 336 472 704 743 828 910 919 980 984"),
        (Eastern, "Ohio", "216 220 234 283 326 330 380 419 436 440 513 567 614 740 937"),
        (Eastern, "Pennsylvania", "215 223 267 272 412 445 484 570 582 610 717 724 814 835 878"),
        (Eastern, "Rhode Island", "401"),
        (Eastern, "South Carolina", "803 821 839 843 854 864"),
        // 423/729 (Chattanooga, Cleveland, the Tri-Cities) is Eastern but for a few rural Central-time counties
        // on its western edge.
        (Eastern, "Tennessee", "423 729 865"),
        (Eastern, "Vermont", "802"),
        (Eastern, "Virginia", "276 434 540 571 686 703 757 804 826 948"),
        (Eastern, "West Virginia", "304 681"),

        (Central, "Alabama", "205 251 256 334 659 938"),
        (Central, "Arkansas", "327 479 501 870"),
        // 850/448: the Panhandle west of the Apalachicola River (Pensacola, Fort Walton Beach, Panama City) is
        // Central and holds most of the area's people; Tallahassee and the east are Eastern.
        (Central, "Florida", "448 850"),
        (Central, "Illinois", "217 224 309 312 331 447 464 618 630 708 730 773 779 815 847 861 872"),
        // 219 is north-west Indiana (Gary, Hammond, Valparaiso, Michigan City): Chicago's Central time.
        (Central, "Indiana", "219"),
        (Central, "Iowa", "319 515 563 641 712"),
        // 620/785: the four western counties on the Colorado border keep Mountain time.
        (Central, "Kansas", "316 620 785 913"),
        // 270/364: western Kentucky (Bowling Green, Owensboro, Paducah, Hopkinsville) is Central; Elizabethtown,
        // Fort Knox and the eastern end are Eastern.
        (Central, "Kentucky", "270 364"),
        (Central, "Louisiana", "225 318 337 457 504 985"),
        (Central, "Minnesota", "218 320 507 612 651 763 952"),
        (Central, "Mississippi", "228 601 662 769"),
        (Central, "Missouri", "235 314 417 557 573 636 660 816 975"),
        // 308: the Panhandle (Scottsbluff, Sidney) is Mountain; Grand Island, Kearney and North Platte are Central.
        (Central, "Nebraska", "308 402 531"),
        // 701: the south-west (Dickinson, Bowman) is Mountain; Fargo, Bismarck and Minot are Central.
        (Central, "North Dakota", "701"),
        (Central, "Oklahoma", "405 539 572 580 918"),
        // 605: West River (Rapid City) is Mountain; Sioux Falls, Aberdeen and Pierre are Central.
        (Central, "South Dakota", "605"),
        (Central, "Tennessee", "615 629 731 901 931"),
        (Central, "Texas", "210 214 254 281 325 346 361 409 430 432 469 512 682 713 726 737 806 817 830 832 903 936 940 945 956 972 979"),
        (Central, "Wisconsin", "262 274 353 414 534 608 715 920"),

        (Mountain, "Colorado", "303 719 720 970 983"),
        // 208/986: southern Idaho (Boise, Idaho Falls, Pocatello) is Mountain; the northern panhandle
        // (Coeur d'Alene, Lewiston, Moscow) is Pacific.
        (Mountain, "Idaho", "208 986"),
        (Mountain, "Montana", "406"),
        (Mountain, "New Mexico", "505 575"),
        (Mountain, "Texas", "915"),
        (Mountain, "Utah", "385 435 801"),
        (Mountain, "Wyoming", "307"),
        // Arizona keeps Mountain Standard Time all year; only the Navajo Nation in the north-east (928) observes DST.
        (Arizona, "Arizona", "480 520 602 623 928"),

        (Pacific, "California", "209 213 279 310 323 341 350 357 369 408 415 424 442 510 530 559 562 619 626 628 650 " +
                                "657 661 669 707 714 738 747 760 805 818 820 831 840 858 909 916 925 949 951"),
        // 775: Reno and Carson City; West Wendover on the Utah line keeps Mountain time.
        (Pacific, "Nevada", "702 725 775"),
        // 541/458: Malheur County (Ontario) on the Idaho line is Mountain.
        (Pacific, "Oregon", "458 503 541 971"),
        (Pacific, "Washington", "206 253 360 425 509 564"),
        // 907: the western Aleutians (Adak) are an hour behind the rest of Alaska.
        ("America/Anchorage", "Alaska", "907"),
        ("Pacific/Honolulu", "Hawaii", "808"),

        ("America/Puerto_Rico", "Puerto Rico", "787 939"),
        ("America/St_Thomas", "US Virgin Islands", "340"),
        ("Pacific/Guam", "Guam", "671"),
        ("Pacific/Saipan", "Northern Mariana Islands", "670"),
        ("Pacific/Pago_Pago", "American Samoa", "684"),

        // 709/879: Labrador is mostly on Atlantic time; nine in ten of the province's people are on the island.
        ("America/St_Johns", "Newfoundland and Labrador", "709 879"),
        ("America/Halifax", "Nova Scotia and Prince Edward Island", "782 902"),
        ("America/Halifax", "New Brunswick", "428 506"),
        // 418/367/581: the Magdalen Islands and the Lower North Shore are on Atlantic time.
        ("America/Toronto", "Quebec", "263 354 367 418 438 450 468 514 579 581 819 873"),
        // 807: the north-west beyond Thunder Bay (Kenora, Dryden) is Central; Thunder Bay, the larger part, is Eastern.
        ("America/Toronto", "Ontario", "226 249 289 343 365 382 416 437 519 548 613 647 683 705 742 753 807 905 942"),
        ("America/Winnipeg", "Manitoba", "204 431 584"),
        // Saskatchewan keeps Central Standard Time all year; Lloydminster on the Alberta line follows Alberta.
        ("America/Regina", "Saskatchewan", "306 474 639"),
        ("America/Edmonton", "Alberta", "368 403 587 780 825"),
        // 250: the north-east (Dawson Creek, Fort St. John) and the East Kootenays keep Mountain time.
        ("America/Vancouver", "British Columbia", "236 250 257 604 672 778"),
        // 867 covers three territories of about 45,000 people each: the Northwest Territories and western Nunavut
        // (Mountain), Yukon (UTC−7 all year, the same as Mountain in winter), and eastern Nunavut (Central and Eastern).
        ("America/Edmonton", "Yukon, Northwest Territories and Nunavut", "867"),

        ("America/Nassau", "Bahamas", "242"),
        ("America/Barbados", "Barbados", "246"),
        ("America/Anguilla", "Anguilla", "264"),
        ("America/Antigua", "Antigua and Barbuda", "268"),
        ("America/Tortola", "British Virgin Islands", "284"),
        ("America/Cayman", "Cayman Islands", "345"),
        ("Atlantic/Bermuda", "Bermuda", "441"),
        ("America/Grenada", "Grenada", "473"),
        ("America/Grand_Turk", "Turks and Caicos Islands", "649"),
        ("America/Jamaica", "Jamaica", "658 876"),
        ("America/Montserrat", "Montserrat", "664"),
        ("America/Lower_Princes", "Sint Maarten", "721"),
        ("America/St_Lucia", "Saint Lucia", "758"),
        ("America/Dominica", "Dominica", "767"),
        ("America/St_Vincent", "Saint Vincent and the Grenadines", "784"),
        ("America/Santo_Domingo", "Dominican Republic", "809 829 849"),
        ("America/Port_of_Spain", "Trinidad and Tobago", "868"),
        ("America/St_Kitts", "Saint Kitts and Nevis", "869"));

    /// <summary>The zone for a three-digit area code, or null for a non-geographic or unassigned one.</summary>
    public static string? ZoneFor(string areaCode) => ZonesByAreaCode.GetValueOrDefault(areaCode);

    internal static IReadOnlyDictionary<string, string> All => ZonesByAreaCode;

    private static FrozenDictionary<string, string> Build(params (string Zone, string Region, string AreaCodes)[] entries) =>
        entries
            .SelectMany(entry => entry.AreaCodes
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(areaCode => (AreaCode: areaCode, entry.Zone)))
            .ToDictionary(entry => entry.AreaCode, entry => entry.Zone, StringComparer.Ordinal) // throws on a code listed twice
            .ToFrozenDictionary(StringComparer.Ordinal);
}
