using Microsoft.Extensions.DependencyInjection;
using XmppGroupChat.Hosting;
using XmppGroupChat.Mix;
using XmppGroupChat.Mix.Mix;
using XmppGroupChat.Mix.Muc;

// The room host: one process, two faces of the same rooms: MIX on Component:Domain and
// MUC (XEP-0045) on Muc:Domain, each over its own XEP-0114 link, sharing one archive.
var builder = ComponentApp.CreateBuilder(args, "mix");
builder.Services.AddSingleton<RoomHost>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<RoomHost>());
builder.AddStartupTask((sp, ct) => sp.GetRequiredService<RoomHost>().OpenAsync(ct));
builder.Services.AddSingleton<XmppGroupChat.Mix.Dmuc.DmucKeepaliveService>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<XmppGroupChat.Mix.Dmuc.DmucKeepaliveService>());
builder.AddLink(ComponentSettings.Read, MixDomain.Configure);
builder.AddLink(config => ComponentSettings.ReadSecondary(config, "Muc", "muc"), MucDomain.Configure);
return await builder.RunAsync();
