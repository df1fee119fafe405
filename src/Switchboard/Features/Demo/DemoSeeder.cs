using Microsoft.AspNetCore.Identity;
using Switchboard.Features.Dialer;
using Switchboard.Features.Leads;
using Switchboard.Features.Tenants;
using Switchboard.Platform.Cli;

namespace Switchboard.Features.Demo;

/// <summary>
/// The demo tenant Acme Inc with one user per role and 200 leads, written on the first start of an
/// embedded installation only (a marker row remembers it, so deleting demo data does not bring it back).
/// </summary>
public static class DemoSeeder
{
    private const string Marker = "demo_seeded";

    /// <summary>Each demo agent's saved queue: their new and contacted leads.</summary>
    public const string DemoQueueName = "My new and contacted leads";

    public static string Password => Environment.GetEnvironmentVariable("SWITCHBOARD_DEMO_PASSWORD") is { Length: > 0 } p ? p : "Lantern-harbor-demo-1";

    public static readonly IReadOnlyList<string> Emails =
        ["admin@acme.test", "manager@acme.test", "agent@acme.test", "agent2@acme.test", "readonly@acme.test", "root@switchboard.test"];

    private static readonly (string Email, string First, string Last, string Role)[] People =
    [
        ("admin@acme.test", "Alex", "Morgan", "admin"),
        ("manager@acme.test", "Maria", "Santos", "manager"),
        ("agent@acme.test", "Jordan", "Lee", "agent"),
        ("agent2@acme.test", "Priya", "Patel", "agent"),
        ("readonly@acme.test", "Riley", "Chen", "readonly"),
    ];

    private static readonly string[] FirstNames =
    [
        "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "William", "Barbara",
        "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Carlos", "Karen", "Daniel", "Lisa", "Matthew", "Nancy",
        "Anthony", "Betty", "Mark", "Sandra", "Steven", "Ashley", "Andrew", "Emily", "Kenji", "Aisha", "Mateo", "Olivia",
    ];

    private static readonly string[] LastNames =
    [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez",
        "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Thompson", "White",
        "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Nguyen", "Kim", "O'Brien", "Okafor",
    ];

    private static readonly (string Company, string Domain)[] Companies =
    [
        ("Northwind Traders", "northwind.example"), ("Contoso Logistics", "contoso.example"), ("Fabrikam Manufacturing", "fabrikam.example"),
        ("Blue Ridge Dental", "blueridgedental.example"), ("Summit Roofing", "summitroofing.example"), ("Harbor Freightways", "harborfw.example"),
        ("Evergreen Insurance", "evergreenins.example"), ("Lakeside Realty", "lakesiderealty.example"), ("Pioneer Solar", "pioneersolar.example"),
        ("Redwood Analytics", "redwoodanalytics.example"), ("Granite Construction Co", "graniteco.example"), ("Maple Street Bakery", "maplebakery.example"),
        ("Atlas Fitness", "atlasfitness.example"), ("Brightside Pediatrics", "brightsidepeds.example"), ("Copperline HVAC", "copperline.example"),
        ("Keystone Legal", "keystonelegal.example"), ("Silverleaf Hotels", "silverleaf.example"), ("Ironclad Security", "ironclad.example"),
    ];

    private static readonly string[] Titles = ["Owner", "CEO", "Office Manager", "Operations Director", "VP Sales", "Purchasing Manager", "CFO", "Practice Manager"];
    private static readonly string[] Sources = ["web-form", "referral", "trade-show", "cold-list", "partner", "inbound-call"];
    /// <summary>
    /// Where the demo leads are: a number format in each place (fictional or drama ranges where the country has them,
    /// landlines so libphonenumber places each in one zone) and that zone. They span enough longitudes that some lead
    /// is inside the default calling hours (08:00–21:00 their time) at every hour of the day, so the demo dialer works
    /// whenever someone tries it.
    /// </summary>
    private static readonly (string Format, string TimeZone)[] Places =
    [
        ("+1212555{0:D4}", "America/New_York"), ("+1312555{0:D4}", "America/Chicago"), ("+1415555{0:D4}", "America/Los_Angeles"),
        ("+44207946{0:D4}", "Europe/London"), ("+4930901{0:D5}", "Europe/Berlin"), ("+912266{0:D6}", "Asia/Kolkata"),
        ("+81355{0:D6}", "Asia/Tokyo"), ("+6125550{0:D4}", "Australia/Sydney"), ("+551130{0:D6}", "America/Sao_Paulo"),
        ("+6562{0:D6}", "Asia/Singapore"),
    ];

    public static async Task SeedOnFirstStartAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<SwitchboardDbContext>();
        if (await db.PlatformSettings.AnyAsync(s => s.Key == Marker, ct)) return;

        var clock = sp.GetRequiredService<TimeProvider>();
        var now = clock.GetUtcNow();
        var users = sp.GetRequiredService<UserManager<AppUser>>();
        var context = sp.GetRequiredService<TenantContext>();

        await using var tx = await db.BeginUnitOfWorkAsync(ct);
        var acme = new Tenant
        {
            Id = Guid.CreateVersion7(), Name = "Acme Inc", Slug = "acme", TimeZone = "America/New_York", Currency = "USD",
            DateFormat = "MM/dd/yyyy", DefaultCountry = "US", CreatedAt = now, UpdatedAt = now,
        };
        db.Tenants.Add(acme);
        await db.SaveChangesAsync(ct);
        await context.EnterTenantAsync(TenantMessages.Settings(acme), TenantRole.Superadmin);

        var ids = new Dictionary<string, Guid>();
        foreach (var (email, first, last, role) in People)
        {
            var user = await CreateUserAsync(users, email, first, last, isSuperadmin: false, now);
            ids[role == "agent" && ids.ContainsKey("agent") ? "agent2" : role] = user.Id;
            db.Memberships.Add(new TenantMembership { UserId = user.Id, Role = role, CreatedAt = now, UpdatedAt = now });
        }
        await CreateUserAsync(users, "root@switchboard.test", "Platform", "Administrator", isSuperadmin: true, now);

        var random = new Random(20261121);
        Guid?[] owners = [ids["agent"], ids["agent"], ids["agent2"], ids["agent2"], ids["manager"], null];
        LeadStatus[] statuses = [LeadStatus.New, LeadStatus.New, LeadStatus.New, LeadStatus.Contacted, LeadStatus.Contacted, LeadStatus.Qualified, LeadStatus.Unqualified, LeadStatus.Converted];
        for (var i = 0; i < 200; i++)
        {
            var first = FirstNames[random.Next(FirstNames.Length)];
            var last = LastNames[random.Next(LastNames.Length)];
            var (company, domain) = Companies[random.Next(Companies.Length)];
            var created = now.AddDays(-random.Next(0, 90)).AddMinutes(-random.Next(0, 1440));
            db.Leads.Add(new Lead
            {
                Id = Guid.CreateVersion7(), FirstName = first, LastName = last, Company = company,
                Title = Titles[random.Next(Titles.Length)],
                Email = $"{first}.{last}{(i % 7 == 0 ? i.ToString() : "")}@{domain}".ToLowerInvariant().Replace("'", ""),
                Phone = string.Format(CultureInfo.InvariantCulture, Places[i % Places.Length].Format, 100 + i / Places.Length),
                // Half say their zone; the other half are placed by their number, as imported leads often are.
                TimeZone = i / Places.Length % 2 == 0 ? Places[i % Places.Length].TimeZone : null,
                Status = statuses[random.Next(statuses.Length)], Source = Sources[random.Next(Sources.Length)],
                OwnerId = owners[random.Next(owners.Length)], CreatedAt = created, UpdatedAt = created,
                Notes = i % 5 == 0 ? "Asked for a call back next quarter about pricing." : null,
            });
        }
        foreach (var role in new[] { "agent", "agent2" })
            db.DialerQueues.Add(new DialerQueue
            {
                Id = Guid.CreateVersion7(), UserId = ids[role], Name = DemoQueueName, CreatedAt = now, UpdatedAt = now,
                Filter = new DialerQueueFilter([LeadStatus.New.ToName(), LeadStatus.Contacted.ToName()], false, null, ids[role]).ToJson(),
            });
        db.PlatformSettings.Add(new PlatformSetting { Key = Marker, Value = now.ToString("O") });
        await db.SaveChangesAsync(ct);
        await DemoCrmSeeder.SeedAsync(db, sp.GetRequiredService<Features.Opportunities.PipelineService>(), Companies,
            [ids["agent"], ids["agent2"], ids["manager"]], random, now, ct);

        // Calls in the demo go through the Simulator, labelled as such, over the real webhook path.
        var simulator = System.Text.Json.JsonSerializer.SerializeToElement(new
        {
            active = true, callerId = "(212) 555-0100", answerRate = 0.6, voicemailRate = 0.15, busyRate = 0.1, failRate = 0.02,
            ringSeconds = 4, talkSeconds = 25, transcripts = true,
        }).Deserialize<Features.Telephony.ProviderSettingsWrite>(System.Text.Json.JsonSerializerOptions.Web)!;
        if (await sp.GetRequiredService<Features.Telephony.ProviderSettingsService>().PutAsync(Features.Telephony.Providers.Simulator.SimulatorProvider.ProviderName, simulator, ct)
            is not Platform.Web.Outcome<Features.Telephony.ProviderView>.Ok)
            throw new CliException("Cannot configure the demo tenant's simulator.");
        var phones = new Dictionary<string, string> { ["agent"] = "+14155550101", ["agent2"] = "+14155550102", ["manager"] = "+14155550103" };
        foreach (var membership in await db.Memberships.ToListAsync(ct))
            if (ids.FirstOrDefault(kv => kv.Value == membership.UserId).Key is { } key && phones.TryGetValue(key, out var phone))
                membership.Phone = phone;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    private static async Task<AppUser> CreateUserAsync(UserManager<AppUser> users, string email, string first, string last, bool isSuperadmin, DateTimeOffset now)
    {
        if (await users.FindByEmailAsync(email) is { } existing) return existing;
        var user = new AppUser
        {
            Id = Guid.CreateVersion7(), UserName = email, Email = email, EmailConfirmed = true, FirstName = first, LastName = last,
            IsSuperadmin = isSuperadmin, CreatedAt = now, LockoutEnabled = true,
        };
        var result = await users.CreateAsync(user, Password);
        if (!result.Succeeded) throw new CliException($"Cannot create demo user {email}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        return user;
    }
}
