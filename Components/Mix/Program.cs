using XmppGroupChat.Hosting;
using XmppGroupChat.Mix.Mix;
using XmppGroupChat.Mix.Muc;

// The room host: one process, two faces of the same rooms: MIX on Component:Domain and
// MUC (XEP-0045) on Muc:Domain, each over its own XEP-0114 link.
var builder = ComponentApp.CreateBuilder(args, "mix");
builder.AddLink(ComponentSettings.Read, MixDomain.Configure);
builder.AddLink(config => ComponentSettings.ReadSecondary(config, "Muc", "muc"), MucDomain.Configure);
return await builder.RunAsync();
