// The platform and kit namespaces nearly every feature file uses, imported once here. Feature namespaces stay
// explicit in each file, so what a feature depends on remains visible at its top.
global using System.Globalization;
global using System.Text;
global using System.Text.Json;
global using Microsoft.AspNetCore.Mvc;
global using Microsoft.EntityFrameworkCore;
global using Microsoft.Extensions.Options;
global using Switchboard.Platform.Audit;
global using Switchboard.Platform.Composition;
global using Switchboard.Platform.Configuration;
global using Switchboard.Platform.Database;
global using Switchboard.Platform.Identity;
global using Switchboard.Platform.Jobs;
global using Switchboard.Platform.Phones;
global using Switchboard.Platform.Realtime;
global using Switchboard.Platform.Tenancy;
global using Switchboard.Platform.Web;
global using Switchboard.Records;
global using Switchboard.Ui;
global using Switchboard.Ui.Forms;
