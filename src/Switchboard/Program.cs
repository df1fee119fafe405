using Switchboard.Features.Accounts;
using Switchboard.Features.Activities;
using Switchboard.Features.Ai;
using Switchboard.Features.Mailboxes;
using Switchboard.Features.ApiKeys;
using Switchboard.Features.Audit;
using Switchboard.Features.Auth;
using Switchboard.Features.Calls;
using Switchboard.Features.CustomFields;
using Switchboard.Features.Demo;
using Switchboard.Features.Bulk;
using Switchboard.Features.Campaigns;
using Switchboard.Features.Dialer;
using Switchboard.Features.Health;
using Switchboard.Features.Home;
using Switchboard.Features.Imports;
using Switchboard.Features.Invitations;
using Switchboard.Features.IpBlocks;
using Switchboard.Features.Leads;
using Switchboard.Features.Mcp;
using Switchboard.Features.Support;
using Switchboard.Features.Lists;
using Switchboard.Features.Opportunities;
using Switchboard.Features.Search;
using Switchboard.Features.Ldap;
using Switchboard.Features.Retention;
using Switchboard.Features.Security;
using Switchboard.Features.Sso;
using Switchboard.Features.Tenants;
using Switchboard.Features.Users;
using Switchboard.Features.Webhooks;
using Switchboard.Features.Outreach;
using Switchboard.Features.Sequences;
using Switchboard.Platform;
using Switchboard.Platform.Cli;
using Switchboard.Platform.Observability;

return await SwitchboardCli.RunAsync(args);

/// <summary>Composition only: one AddXxx()/MapXxx() per feature. The command line lives in Platform/Cli.</summary>
public partial class Program
{
    public static WebApplication BuildApp(string[] args, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        // ApplicationName is what Razor Pages discovery looks for; under a test runner the entry assembly is the runner.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args, ContentRootPath = AppContext.BaseDirectory, ApplicationName = typeof(Program).Assembly.GetName().Name,
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);

        builder.AddPlatform();
        builder.AddObservability();
        builder.Services.AddMarkedServices(); // every class marked [Scoped], [Singleton] or [Transient] (ADR 0022)
        builder.Services.AddAuth();
        builder.Services.AddLeads();
        builder.Services.AddCalling();
        builder.Services.AddDialer();
        builder.Services.AddCustomFields();
        builder.Services.AddAccountsAndContacts();
        builder.Services.AddOpportunities();
        builder.Services.AddActivities();
        builder.Services.AddAi();
        builder.Services.AddMailboxes();
        builder.Services.AddSupport();
        builder.Services.AddWebhooks();
        builder.Services.AddOutreach();
        builder.Services.AddSequences();
        builder.Services.AddMcpForAgents();
        builder.Services.AddImports();
        builder.Services.AddBulk();
        builder.Services.AddCampaigns();
        builder.Services.AddAudit();
        builder.Services.AddLdap();
        builder.Services.AddSso();
        builder.Services.AddDemoData();
        builder.Services.AddRetention();

        configure?.Invoke(builder.Services); // tests add their own services (e.g. job handlers)

        var app = builder.Build();

        app.UsePlatform();
        app.MapHealthApi();
        app.MapObservability();
        app.MapAuthApi();
        app.MapTenantsApi();
        app.MapUsersApi();
        app.MapInvitationsApi();
        app.MapApiKeysApi();
        app.MapLeadsApi();
        app.MapAuditApi();
        app.MapSecurityApi();
        app.MapLdapApi();
        app.MapIpBlocksApi();
        app.MapSsoApi();
        app.MapCalling();
        app.MapDialer();
        app.MapCustomFields();
        app.MapAccountsAndContacts();
        app.MapOpportunities();
        app.MapActivities();
        app.MapAi();
        app.MapSupport();
        app.MapMailboxes();
        app.MapWebhooks();
        app.MapOutreach();
        app.MapSequences();
        app.MapMcpForAgents();
        app.MapSearchApi();
        app.MapListsAndViews();
        app.MapImportsApi();
        app.MapHomeApi();
        app.MapBulkApi();
        app.MapCampaignsApi();
        app.MapRetentionApi();
        app.MapPlatformPages();
        app.MapRealtime();
        return app;
    }
}
