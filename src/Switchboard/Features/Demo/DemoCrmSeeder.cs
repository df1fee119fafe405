using Switchboard.Features.Accounts;
using Switchboard.Features.Activities;
using Switchboard.Features.Contacts;
using Switchboard.Features.Opportunities;

namespace Switchboard.Features.Demo;

/// <summary>
/// The demo tenant's CRM records: an account per demo company with two or three contacts, opportunities
/// spread over the default pipeline's stages, a few products, and tasks and notes for the agents, so every
/// CRM page has something to show on first start. Runs inside <see cref="DemoSeeder"/>'s transaction,
/// with the demo tenant entered.
/// </summary>
internal static class DemoCrmSeeder
{
    private static readonly (string Name, string Type, decimal Price)[] Products =
        [("Starter seat", "subscription", 29m), ("Pro seat", "subscription", 59m), ("Onboarding package", "service", 1500m), ("Desk phone", "product", 120m)];

    private static readonly string[] TaskSubjects =
        ["Send the proposal", "Follow up on pricing questions", "Book a demo with the team", "Confirm the decision maker", "Check in after the trial"];

    public static async Task SeedAsync(
        SwitchboardDbContext db, PipelineService pipelines, IReadOnlyList<(string Company, string Domain)> companies,
        IReadOnlyList<Guid> owners, Random random, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var (name, type, price) in Products)
            db.Add(new Product { Id = Guid.CreateVersion7(), Name = name, Type = type, Price = price, Currency = "USD", CreatedAt = now, UpdatedAt = now });

        await pipelines.EnsureDefaultAsync(ct);
        var pipeline = await pipelines.DefaultAsync(ct);
        var stages = await db.Set<PipelineStage>().Where(s => s.PipelineId == pipeline.Id).OrderBy(s => s.Position).ToListAsync(ct);

        foreach (var (index, (company, domain)) in companies.Index())
        {
            var owner = owners[index % owners.Count];
            var created = now.AddDays(-random.Next(5, 120));
            var account = new Account
            {
                Id = Guid.CreateVersion7(), Name = company, Domain = domain, Industry = Industry(company), Size = Sizes[random.Next(Sizes.Length)],
                Phone = $"+1212555{2000 + index:D4}", City = Cities[index % Cities.Length], Country = "US", OwnerId = owner,
                CreatedAt = created, UpdatedAt = created,
            };
            db.Add(account);
            var contacts = Enumerable.Range(0, 2 + index % 2).Select(i =>
            {
                var first = FirstNames[(index * 3 + i) % FirstNames.Length];
                var last = LastNames[(index * 5 + i) % LastNames.Length];
                return new Contact
                {
                    Id = Guid.CreateVersion7(), FirstName = first, LastName = last, Title = Titles[(index + i) % Titles.Length],
                    Emails = [$"{first}.{last}@{domain}".ToLowerInvariant()], Phones = [$"+1212555{3000 + index * 3 + i:D4}"],
                    AccountId = account.Id, OwnerId = owner, CreatedAt = created, UpdatedAt = created,
                };
            }).ToList();
            db.AddRange(contacts);

            var stage = stages[index % stages.Count];
            var amount = 1000m * random.Next(2, 60);
            db.Add(new Opportunity
            {
                Id = Guid.CreateVersion7(), Name = $"{company} — {(index % 3 == 0 ? "renewal" : "new seats")}", AccountId = account.Id,
                ContactId = contacts[0].Id, Amount = amount, Currency = "USD", PipelineId = pipeline.Id, StageId = stage.Id,
                Probability = stage.Probability, ExpectedClose = DateOnly.FromDateTime(now.AddDays(random.Next(7, 90)).UtcDateTime),
                OwnerId = owner, LostReason = stage.Kind == StageKinds.Lost ? "Went with a competitor" : null,
                ClosedAt = stage.Kind == StageKinds.Open ? null : now.AddDays(-random.Next(1, 20)), CreatedAt = created, UpdatedAt = created,
            });
            if (owner is { } assignee)
                db.Add(new Activity
                {
                    Id = Guid.CreateVersion7(), Type = index % 4 == 0 ? "call" : "task", Subject = TaskSubjects[index % TaskSubjects.Length],
                    DueAt = now.AddDays(index % 3 - 1).AddHours(index % 5), Priority = index % 3 == 0 ? "high" : "medium",
                    AssigneeId = assignee, CreatedBy = assignee, RelatedType = "account", RelatedId = account.Id, CreatedAt = now, UpdatedAt = now,
                });
            if (index % 3 == 0)
                db.Add(new Note
                {
                    Id = Guid.CreateVersion7(), Body = $"Spoke with **{contacts[0].FirstName}**: budget is approved for Q{1 + index % 4}, wants a *short* demo first.",
                    RelatedType = "account", RelatedId = account.Id, AuthorId = owner, CreatedAt = created, UpdatedAt = created,
                });
        }
        await db.SaveChangesAsync(ct);
    }

    private static string Industry(string company) => company switch
    {
        _ when company.Contains("Dental") || company.Contains("Pediatrics") => "Healthcare",
        _ when company.Contains("Logistics") || company.Contains("Freight") => "Logistics",
        _ when company.Contains("Insurance") || company.Contains("Legal") => "Professional services",
        _ when company.Contains("Roofing") || company.Contains("Construction") || company.Contains("HVAC") || company.Contains("Solar") => "Construction",
        _ => "Other",
    };

    private static readonly string[] Sizes = ["1-10", "11-50", "51-200", "201-1000"];
    private static readonly string[] Cities = ["New York", "Chicago", "Austin", "Seattle", "Miami", "Boston"];
    private static readonly string[] FirstNames = ["Maria", "James", "Priya", "Daniel", "Aisha", "Tom", "Elena", "Marcus", "Yuki", "Grace", "Omar", "Hannah"];
    private static readonly string[] LastNames = ["Garcia", "Okafor", "Nguyen", "Schmidt", "Patel", "Brennan", "Rossi", "Johnson", "Kowalski", "Haddad", "Lindqvist"];
    private static readonly string[] Titles = ["Head of Operations", "CFO", "Office Manager", "VP Sales", "Owner", "Purchasing Lead"];
}
