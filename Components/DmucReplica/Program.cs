using XmppGroupChat.DmucReplica.Dmuc;
using XmppGroupChat.Hosting;

// The DMUC2 replica: keeps a copy of remote rooms and serves this server's users, through a netsplit too.
var builder = ComponentApp.CreateBuilder(args, "dmuc-replica");
builder.AddLink(ComponentSettings.Read, ReplicaDomain.Configure);
return await builder.RunAsync();
