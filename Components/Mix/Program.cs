using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using XmppGroupChat.Hosting;
using XmppGroupChat.Mix.Composition;

// The room host: one process, two faces of the same rooms: MIX on Component:Domain and MUC
// (XEP-0045) on Muc:Domain, each over its own XEP-0114 link, sharing one archive. Everything is
// built in one place, RoomHostComposition.
var builder = ComponentApp.CreateBuilder(args, "mix");
builder.AddComponent(
    config => [ComponentSettings.Read(config), ComponentSettings.ReadSecondary(config, "Muc", "muc")],
    async (services, senders, ct) =>
    {
        var config = services.GetRequiredService<IConfiguration>();
        var storage = services.GetRequiredService<StorageSettings>();
        var loggers = services.GetRequiredService<ILoggerFactory>();
        var mix = senders[ComponentSettings.Read(config).Domain];
        var muc = senders[ComponentSettings.ReadSecondary(config, "Muc", "muc").Domain];
        var options = RoomHostOptions.Read(config, storage, mix.Domain.ToString(), muc.Domain.ToString());
        var archive = await storage.OpenArchiveAsync(loggers, ct);
        try
        {
            return await RoomHostComposition.OpenAsync(options, archive, mix, muc, TimeProvider.System, loggers, ct);
        }
        catch
        {
            await archive.DisposeAsync();
            throw;
        }
    });
return await builder.RunAsync();
