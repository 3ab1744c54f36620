using XmppGroupChat.Load;

// One program, two roles: the load driver, and the bare "ceiling" component the driver starts as
// a child process (so its CPU time can be read from /proc like that of any other component).
if (args.Length > 0 && args[0] == CeilingComponent.Mode)
    return await CeilingComponent.RunAsync(args[1..]);

// The driver shares two cores with the server it measures. Idle thread-pool workers spin before
// they sleep, and with 100 sockets waking them all the time that spinning cost the driver about
// half its CPU. Only the driver is tuned: the components it starts run with the runtime's defaults.
// (Must run before the thread pool is first used.)
AppContext.SetData("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit", 0);

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}
return await LoadDriver.RunAsync(options);
