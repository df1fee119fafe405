// The platform namespaces nearly every feature file uses, imported once here. Feature namespaces stay explicit in
// each file, so what a feature depends on remains visible at its top.
global using System.Text.Json;
global using Microsoft.AspNetCore.Mvc;
global using Microsoft.EntityFrameworkCore;
global using Switchboard.Platform.Audit;
global using Switchboard.Platform.Database;
global using Switchboard.Platform.Tenancy;
global using Switchboard.Platform.Web;
global using Switchboard.Records;
