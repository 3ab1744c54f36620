using Microsoft.Extensions.DependencyInjection;
using XmppGroupChat.Hosting;
using XmppGroupChat.Mirror.Fmuc;

// The FMUC mirror: local users reach remote rooms through mirror.<server>, and one copy of each
// room message crosses the server-to-server link.
var builder = ComponentApp.CreateBuilder(args, "mirror");
builder.Services.AddSingleton<MirrorHost>();
builder.AddStartupTask((sp, ct) => sp.GetRequiredService<MirrorHost>().OpenAsync(ct));
builder.AddLink(ComponentSettings.Read, MirrorDomain.Configure);
return await builder.RunAsync();
