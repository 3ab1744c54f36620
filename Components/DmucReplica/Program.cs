using Microsoft.Extensions.DependencyInjection;
using XmppGroupChat.DmucReplica;
using XmppGroupChat.DmucReplica.Dmuc;
using XmppGroupChat.Hosting;

// The DMUC2 replica: keeps a copy of remote rooms and serves this server's users, through a netsplit too.
var builder = ComponentApp.CreateBuilder(args, "dmuc-replica");
builder.Services.AddSingleton<ReplicaHost>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<ReplicaHost>());
builder.AddStartupTask((sp, ct) => sp.GetRequiredService<ReplicaHost>().OpenAsync(ct));
builder.AddLink(ComponentSettings.Read, ReplicaDomain.Configure);
return await builder.RunAsync();
