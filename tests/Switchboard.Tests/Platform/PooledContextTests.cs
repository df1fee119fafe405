using Switchboard.Features.Leads;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Platform.Database;
using Switchboard.Platform.Tenancy;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform;

/// <summary>
/// SwitchboardDbContext is pooled (ADR 0018): an instance serves scope after scope. Each scope must see its own tenant
/// only, through the query filters and RLS alike, however the instances are handed round.
/// </summary>
public sealed class PooledContextTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    [Fact]
    public async Task Scopes_of_two_tenants_taking_turns_each_see_only_their_own_leads()
    {
        var other = await host.CreateTenantAsync("pool");
        var mine = await CreateLeadAsync(await host.As("admin"));
        var theirs = await CreateLeadAsync(await host.LoginAsync(other.Email("admin")));

        for (var turn = 0; turn < 4; turn++)
        {
            var (tenant, lead) = turn % 2 == 0 ? (host.Tenant, mine) : (other, theirs);
            await using var scope = host.Services.CreateAsyncScope();
            var context = scope.ServiceProvider.GetRequiredService<TenantContext>();
            await context.EnterAsync(tenant.Users["admin"], isSuperadmin: false, Settings(tenant.Id), TenantRole.Admin);
            var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();

            var filtered = await db.Leads.AsNoTracking().Select(l => new { l.Id, l.TenantId }).ToListAsync();
            var underRls = await db.Leads.IgnoreQueryFilters().AsNoTracking().Select(l => l.TenantId).Distinct().ToListAsync();

            filtered.ShouldContain(l => l.Id == lead, $"turn {turn}: the scope's own lead is missing");
            filtered.ShouldAllBe(l => l.TenantId == tenant.Id);
            underRls.ShouldBe([tenant.Id]);
        }
    }

    [Fact]
    public async Task A_scope_that_never_entered_a_tenant_sees_no_leads_after_one_that_did()
    {
        await CreateLeadAsync(await host.As("admin"));
        await using (var entered = host.Services.CreateAsyncScope())
        {
            await entered.ServiceProvider.GetRequiredService<TenantContext>()
                .EnterAsync(host.Tenant.Users["admin"], isSuperadmin: false, Settings(host.Tenant.Id), TenantRole.Admin);
            (await entered.ServiceProvider.GetRequiredService<SwitchboardDbContext>().Leads.CountAsync()).ShouldBeGreaterThan(0);
        }

        await using var anonymous = host.Services.CreateAsyncScope();
        var db = anonymous.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
        (await db.Leads.IgnoreQueryFilters().CountAsync()).ShouldBe(0);
    }

    private static TenantSettings Settings(Guid tenantId) =>
        new(tenantId, "Test", "test", IsActive: true, "America/New_York", "USD", "yyyy-MM-dd", "US");

    private static async Task<Guid> CreateLeadAsync(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/api/v1/leads", new { firstName = "Pooled", lastName = "Lead" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<IdOnly>())!.Id;
    }

    private sealed record IdOnly(Guid Id);
}
